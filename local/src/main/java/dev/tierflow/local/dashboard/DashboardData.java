package dev.tierflow.local.dashboard;

import dev.tierflow.local.TopicRecords;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import java.time.Clock;

/**
 * The dashboard's model: what the stats, alerts and policy topics said so far, read from their start by
 * a {@link TopicFeed} it owns, and turned into a {@link Snapshot} on request. Thread-safe: the feed's
 * thread writes and HTTP threads read, under this object's lock (every update is a few map operations).
 */
public final class DashboardData implements TopicRecords.Listener, AutoCloseable {

    /** Windows per role on the spend chart: 60 windows of a 30 s slide are the last half hour. */
    static final int SPEND_POINTS = 60;
    static final int ALERTS_KEPT = 50;

    private final Clock clock;
    private final SpendByRole spend = new SpendByRole(SPEND_POINTS);
    private final QualityBoard quality;
    private final FrontierSavings savings = new FrontierSavings();
    private final AlertFeed alerts = new AlertFeed(ALERTS_KEPT);
    private final EffectivePolicy policy;
    private long statsRead;
    private long alertsRead;
    private long policyRead;
    private long undecodable;
    private TopicFeed feed;

    DashboardData(RoutingPolicy policy, Clock clock) {
        this.clock = clock;
        this.quality = new QualityBoard(policy.alerting());
        this.policy = new EffectivePolicy(policy);
    }

    /** A model fed from the topics of the broker at {@code bootstrapServers}, from their start, until closed. */
    public static DashboardData start(String bootstrapServers, String registryUrl, RoutingPolicy policy) {
        DashboardData data = new DashboardData(policy, Clock.systemUTC());
        data.feed = TopicFeed.start(bootstrapServers, registryUrl, data);
        return data;
    }

    @Override
    public synchronized void onStats(CostQualityStats stats) {
        statsRead++;
        spend.add(stats);
        quality.add(stats);
        savings.add(stats);
    }

    @Override
    public synchronized void onAlert(Alert alert) {
        alertsRead++;
        alerts.add(alert);
    }

    /** A record of the compacted policy topic: a rule, or null for a tombstone of that scope. */
    @Override
    public synchronized void onPolicy(String scope, PolicyRule rule) {
        policyRead++;
        policy.apply(scope, rule);
    }

    /** A record that could not be decoded: counted, so the page can say data is being skipped. */
    @Override
    public synchronized void onUndecodable() {
        undecodable++;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(clock.millis(), new Snapshot.RecordsRead(statsRead, alertsRead, policyRead, undecodable),
                spend.snapshot(), quality.snapshot(), savings.snapshot(), alerts.snapshot(), policy.snapshot(clock.instant()));
    }

    /** True while the topics are being read (always true for a model fed by hand). */
    public boolean feeding() {
        return feed == null || feed.running();
    }

    /** Why the topics are not being read on (the registry is down and the feed retries), or null. */
    public String registryOutage() {
        return feed == null ? null : feed.registryOutage();
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
    }
}
