package dev.tierflow.local.status;

import dev.tierflow.local.LatestRecords;
import dev.tierflow.local.tools.TextTable;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** {@code tierflow status}'s output: one aligned table per part of the stack. */
public final class StatusReport {

    private static final String INDENT = "  ";
    private static final double MICROS_PER_DOLLAR = 1_000_000.0;
    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private final PrintStream out;

    public StatusReport(PrintStream out) {
        this.out = out;
    }

    public void print(String bootstrapServers, ClusterStatus cluster, RegistryStatus registry, LatestRecords latest) {
        TextTable stack = new TextTable("COMPONENT", "ADDRESS", "STATE");
        stack.row("broker", bootstrapServers, "cluster " + cluster.clusterId() + ", " + cluster.brokers() + " broker(s)");
        stack.row("registry", registry.url(), registry.reachable() ? registry.artifacts() + " artifact(s)" : registry.problem());
        section("Stack", stack);
        section("Topics", topics(cluster));
        section("Consumer groups", groups(cluster));
        section("Latest stats per role (newest window of each role= scope)", stats(latest));
        section("Alerts firing (latest state of each alert)", firing(latest));
        section("Live overrides (compacted policy topic)", overrides(latest));
        if (latest.undecodable() > 0) {
            out.println(latest.undecodable() + " record(s) could not be decoded and were skipped");
        }
    }

    static TextTable topics(ClusterStatus cluster) {
        TextTable table = new TextTable("TOPIC", "PARTITIONS", "END OFFSETS");
        cluster.topics().forEach(topic -> table.row(topic.name(), topic.exists() ? topic.partitions() : "missing", topic.endOffsets()));
        return table;
    }

    static TextTable groups(ClusterStatus cluster) {
        TextTable table = new TextTable("GROUP", "STATE", "PARTITIONS", "LAG");
        cluster.groups().forEach(group -> table.row(group.groupId(), group.state(), group.partitions(), group.lag()));
        return table;
    }

    static TextTable stats(LatestRecords latest) {
        TextTable table = new TextTable("SCOPE", "WINDOW END", "SPANS", "SPEND USD", "USD/HOUR", "QUALITY", "GRADED");
        for (CostQualityStats stats : latest.statsByRole().values()) {
            long windowMs = Duration.between(stats.getWindowStart(), stats.getWindowEnd()).toMillis();
            double dollars = stats.getCostMicros() / MICROS_PER_DOLLAR;
            table.row(stats.getScope(), stats.getWindowEnd(), stats.getCount(), decimal("%.4f", dollars),
                    windowMs <= 0 ? null : decimal("%.2f", dollars * MILLIS_PER_HOUR / windowMs),
                    stats.getQualityMean() == null ? null : decimal("%.3f", stats.getQualityMean()), stats.getQualitySamples());
        }
        return table;
    }

    static TextTable firing(LatestRecords latest) {
        TextTable table = new TextTable("ALERT", "KIND", "SCOPE", "OBSERVED", "THRESHOLD", "SINCE", "ACTION", "MESSAGE");
        for (Alert alert : latest.alertsById().values()) {
            if (alert.getState() == AlertState.FIRING) {
                table.row(alert.getAlertId(), alert.getKind(), alert.getScope(), decimal("%.3f", alert.getObserved()),
                        decimal("%.3f", alert.getThreshold()), alert.getAt(), alert.getActionTaken(), alert.getMessage());
            }
        }
        return table;
    }

    static TextTable overrides(LatestRecords latest) {
        TextTable table = new TextTable("SCOPE", "TIER", "MODEL", "MAX TOKENS", "SOURCE", "VERSION", "EXPIRES", "CAUSED BY", "REASON");
        for (PolicyRule rule : latest.policyByScope().values()) {
            table.row(rule.getScope(), rule.getTier(), rule.getModel(), rule.getMaxOutputTokens(), rule.getSource(), rule.getVersion(),
                    expiry(rule.getExpiresAt()), rule.getCausedByAlertId(), rule.getReason());
        }
        return table;
    }

    private static String expiry(Instant expiresAt) {
        return expiresAt == null ? "never" : expiresAt.toString();
    }

    /** A decimal with a fixed number of places, still a number so the table right-aligns it. */
    private static Number decimal(String format, double value) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, format, value));
    }

    private void section(String title, TextTable table) {
        out.println(title);
        if (table.isEmpty()) {
            out.println(INDENT + "(none)");
        } else {
            table.lines(INDENT).forEach(out::println);
        }
        out.println();
    }
}
