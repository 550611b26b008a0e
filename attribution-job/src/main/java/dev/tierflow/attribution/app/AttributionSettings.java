package dev.tierflow.attribution.app;

import dev.tierflow.attribution.WindowSpec;
import dev.tierflow.flink.JobProperties;
import java.io.Serializable;
import dev.tierflow.attribution.validate.EventTimeBounds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The attribution job's settings, split out of one layered property set: the job's own
 * ({@code tierflow.attribution.*}), the registry's ({@code apicurio.registry.*}, passed to the serdes
 * untouched) and everything else, passed to the Kafka source and sinks untouched (SASL/SSL included).
 * Durations are written like Flink's ({@code 30 s}, {@code 5 min}, {@code 500ms}).
 */
public record AttributionSettings(Path policyFile, Path pricesFile, String groupId, boolean otlpEnabled,
                                  WindowSpec windows, Duration outOfOrderness, Duration idleness,
                                  Duration alignmentMaxDrift, Duration alignmentUpdateInterval,
                                  Duration joinBound, Duration stuckAfter, Duration eventTimeMaxPast, Duration eventTimeMaxFuture,
                                  Duration checkpointInterval,
                                  String transactionalIdPrefix, Duration transactionTimeout, int parallelism,
                                  int topicPartitions, boolean bounded, Map<String, String> registryConfig,
                                  Map<String, String> clientConfig) implements Serializable {

    private static final String PREFIX = "tierflow.attribution.";
    public static final String POLICY_FILE = PREFIX + "policy.file";
    public static final String PRICES_FILE = PREFIX + "prices.file";
    public static final String GROUP_ID = PREFIX + "group.id";
    /** Also read OTLP spans from {@code otlp_spans} (an OpenTelemetry Collector's kafkaexporter, otlp_proto). */
    public static final String OTLP_ENABLED = PREFIX + "otlp.enabled";
    public static final String WINDOW_SIZE = PREFIX + "window.size";
    public static final String WINDOW_SLIDE = PREFIX + "window.slide";
    /** How long after a window's end a late span still updates it (the window fires again). */
    public static final String ALLOWED_LATENESS = PREFIX + "window.allowed-lateness";
    /** How far out of event-time order records of one partition may arrive. */
    public static final String OUT_OF_ORDERNESS = PREFIX + "watermark.out-of-orderness";
    /** A partition with no records for this long stops holding the watermark back. */
    public static final String IDLENESS = PREFIX + "watermark.idleness";
    /**
     * How far ahead in event time one input partition may be read of the slowest (Flink's watermark
     * alignment, per split). Keeps the join small while a backlog is read: the task and span topics'
     * records differ in size, so unaligned the span partitions race ahead and every early span waits in
     * state. {@code 0 s} turns it off; it is always off for a {@link #BOUNDED} read (see
     * {@link #alignmentEnabled()}).
     */
    public static final String ALIGNMENT_MAX_DRIFT = PREFIX + "watermark.alignment.max-drift";
    /**
     * How often the source's subtasks agree on the slowest watermark. A catch-up reads at most about
     * max-drift of event time per interval, so keep drift / interval well above the job's own speed.
     */
    public static final String ALIGNMENT_UPDATE_INTERVAL = PREFIX + "watermark.alignment.update-interval";
    /** How far apart in event time a span and its routed task may be and still join. */
    public static final String JOIN_BOUND = PREFIX + "join.bound";
    /** A routed task with no span this long after routing is reported stuck. */
    public static final String STUCK_AFTER = PREFIX + "stuck.after";
    /**
     * A span or routed task whose event time is further behind the wall clock (when the job reads it) is
     * dead-lettered ({@code EVENT_TIME_OUT_OF_BOUNDS}); {@code 0 s} turns the bound off, e.g. to backfill
     * older topics.
     */
    public static final String EVENT_TIME_MAX_PAST = PREFIX + "event-time.max-past";
    /**
     * The same, ahead of the wall clock: how far one record may move the watermark beyond real time.
     * Kept below the window size plus the allowed lateness, so the spans of producers with a right clock
     * still count even after such a record; {@code 0 s} turns the bound off.
     */
    public static final String EVENT_TIME_MAX_FUTURE = PREFIX + "event-time.max-future";
    public static final String CHECKPOINT_INTERVAL = PREFIX + "checkpoint.interval";
    /** Unique per job on a Kafka cluster: the sinks' transactional ids start with it. */
    public static final String TRANSACTIONAL_ID_PREFIX = PREFIX + "transactional-id-prefix";
    /** Must stay below the brokers' transaction.max.timeout.ms (15 min by default). */
    public static final String TRANSACTION_TIMEOUT = PREFIX + "transaction.timeout";
    public static final String PARALLELISM = PREFIX + "parallelism";
    /** Partitions of the topics the job creates when they are missing. */
    public static final String TOPIC_PARTITIONS = PREFIX + "topic.partitions";

    /**
     * Read the input topics up to their end offsets at start, then finish: every window, stuck and
     * unmatched timer fires at the end. For backfills and replays; the default runs for ever.
     */
    public static final String BOUNDED = PREFIX + "bounded";

    public static Properties defaults() {
        Properties defaults = new Properties();
        defaults.setProperty("bootstrap.servers", "localhost:9092");
        defaults.setProperty("apicurio.registry.url", "http://localhost:8080/apis/registry/v3");
        defaults.setProperty(GROUP_ID, "tierflow-attribution");
        defaults.setProperty(OTLP_ENABLED, "false");
        defaults.setProperty(WINDOW_SIZE, "5 min");
        defaults.setProperty(WINDOW_SLIDE, "30 s");
        defaults.setProperty(ALLOWED_LATENESS, "1 min");
        defaults.setProperty(OUT_OF_ORDERNESS, "5 s");
        defaults.setProperty(IDLENESS, "30 s");
        defaults.setProperty(ALIGNMENT_MAX_DRIFT, "30 s");
        defaults.setProperty(ALIGNMENT_UPDATE_INTERVAL, "200 ms");
        defaults.setProperty(JOIN_BOUND, "15 min");
        defaults.setProperty(STUCK_AFTER, "5 min");
        defaults.setProperty(EVENT_TIME_MAX_PAST, "7 d");
        defaults.setProperty(EVENT_TIME_MAX_FUTURE, "5 min");
        defaults.setProperty(CHECKPOINT_INTERVAL, "10 s");
        defaults.setProperty(TRANSACTIONAL_ID_PREFIX, "tierflow-attribution");
        defaults.setProperty(TRANSACTION_TIMEOUT, "10 min");
        defaults.setProperty(PARALLELISM, "1");
        defaults.setProperty(TOPIC_PARTITIONS, "6");
        defaults.setProperty(BOUNDED, "false");
        return defaults;
    }

    /** @throws IllegalArgumentException naming the setting that is missing or wrong */
    public static AttributionSettings from(Properties all) {
        JobProperties properties = new JobProperties(all);
        Map<String, String> clients = properties.clientConfig();
        WindowSpec windows;
        try {
            windows = new WindowSpec(properties.duration(WINDOW_SIZE), properties.duration(WINDOW_SLIDE), properties.duration(ALLOWED_LATENESS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WINDOW_SIZE + "/" + WINDOW_SLIDE + "/" + ALLOWED_LATENESS + ": " + e.getMessage(), e);
        }
        Duration joinBound = properties.duration(JOIN_BOUND);
        Duration stuckAfter = properties.duration(STUCK_AFTER);
        if (stuckAfter.compareTo(joinBound) > 0) {
            throw new IllegalArgumentException(STUCK_AFTER + " (" + stuckAfter + ") must not exceed " + JOIN_BOUND + " (" + joinBound + ")");
        }
        Duration maxPast = properties.duration(EVENT_TIME_MAX_PAST);
        Duration maxFuture = properties.duration(EVENT_TIME_MAX_FUTURE);
        if (maxPast.isNegative() || maxFuture.isNegative()) {
            throw new IllegalArgumentException(EVENT_TIME_MAX_PAST + " and " + EVENT_TIME_MAX_FUTURE + " must not be negative");
        }
        Duration transactionTimeout = properties.duration(TRANSACTION_TIMEOUT);
        Duration checkpointInterval = properties.duration(CHECKPOINT_INTERVAL);
        JobProperties.requireTransactionOutlastsCheckpoints(TRANSACTION_TIMEOUT, transactionTimeout, CHECKPOINT_INTERVAL, checkpointInterval);
        return new AttributionSettings(
                Path.of(properties.required(POLICY_FILE, "the policy YAML (--policy)")),
                Path.of(properties.required(PRICES_FILE, "the price catalog YAML (--prices)")),
                properties.required(GROUP_ID, "the consumer group id"),
                properties.flag(OTLP_ENABLED),
                windows, properties.duration(OUT_OF_ORDERNESS), properties.duration(IDLENESS),
                properties.duration(ALIGNMENT_MAX_DRIFT), properties.duration(ALIGNMENT_UPDATE_INTERVAL), joinBound, stuckAfter,
                maxPast, maxFuture, checkpointInterval, properties.required(TRANSACTIONAL_ID_PREFIX, "the sinks' transactional id prefix"),
                transactionTimeout, properties.positive(PARALLELISM), properties.positive(TOPIC_PARTITIONS),
                properties.flag(BOUNDED), properties.registryConfig(), clients);
    }

    /**
     * Whether the source reads aligned: when a drift is set and the read is unbounded. A bounded read
     * finishes its splits one by one, and the Kafka connector 5.0.0 fails a job when alignment pauses a
     * split that has just finished (FLINK-39728, fixed after that release).
     */
    public boolean alignmentEnabled() {
        return !bounded && !alignmentMaxDrift.isZero() && !alignmentMaxDrift.isNegative();
    }

    /** The event-time bounds, measured against {@code clock} (the system's UTC clock in the job, a fixed one in tests). */
    public EventTimeBounds eventTimeBounds(Clock clock) {
        return new EventTimeBounds(eventTimeMaxPast, eventTimeMaxFuture, clock);
    }

    public Properties clientProperties() {
        return JobProperties.asProperties(clientConfig);
    }

    public String bootstrapServers() {
        return clientConfig.get("bootstrap.servers");
    }
}
