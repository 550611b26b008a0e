package dev.tierflow.schemas;

import java.util.List;
import java.util.regex.Pattern;

/** Every topic TierFlow reads or writes. Tier topics are derived from tier names in the policy file. */
public final class Topics {

    /** Input: tasks from agents, and escalations re-submitted by workers. */
    public static final Topic<String, AgentTask> TASKS = new Topic<>("tasks", String.class, AgentTask.class);

    /** Records the router could not accept: original bytes, with {@link DeadLetterHeaders}. */
    public static final Topic<byte[], byte[]> TASKS_DLQ = new Topic<>("tasks.dlq", byte[].class, byte[].class);

    /** Compacted live overrides, keyed by scope; a tombstone removes one. */
    public static final Topic<String, PolicyRule> POLICY = new Topic<>("policy", String.class, PolicyRule.class);

    /** Rolling cost and quality per scope. */
    public static final Topic<String, CostQualityStats> STATS = new Topic<>("stats.role", String.class, CostQualityStats.class);

    /** Cost and quality alerts with their lifecycle. */
    public static final Topic<String, Alert> ALERTS = new Topic<>("alerts", String.class, Alert.class);

    /** Optional ingest of OTLP protobuf ExportTraceServiceRequest records from an OpenTelemetry Collector. */
    public static final Topic<byte[], byte[]> OTLP_SPANS = new Topic<>("otlp_spans", byte[].class, byte[].class);

    /** Attribution job: routed task attempts with no result span within the stuck timeout, keyed by task id. */
    public static final Topic<String, StuckTask> STUCK = new Topic<>("attribution.stuck", String.class, StuckTask.class);

    /** Attribution job: spans with no routed task within the join bound, keyed by span id. */
    public static final Topic<String, ResultSpan> UNMATCHED = new Topic<>("attribution.unmatched", String.class, ResultSpan.class);

    /** Attribution job: spans that arrived after their windows closed (past the allowed lateness), keyed by span id. */
    public static final Topic<String, ResultSpan> LATE = new Topic<>("attribution.late", String.class, ResultSpan.class);

    /** Attribution job: input records it could not read, original bytes with {@link DeadLetterHeaders}. */
    public static final Topic<byte[], byte[]> ATTRIBUTION_DLQ = new Topic<>("attribution.dlq", byte[].class, byte[].class);

    private static final String ROUTED_PREFIX = "tasks.";
    private static final String RESULTS_PREFIX = "results.";
    private static final String DLQ_SUFFIX = ".dlq";
    private static final Pattern DEAD_LETTER_TOPICS = Pattern.compile(
            Pattern.quote("tasks.dlq") + "|" + Pattern.quote("attribution.dlq") + "|tasks\\.[a-z0-9][a-z0-9_-]{0,48}\\.dlq");
    /** Tier names become parts of topic names, so they must be legal there and not clash with fixed topics. */
    private static final Pattern TIER_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,48}");

    private Topics() {
    }

    /** Every topic whose name does not depend on the policy file's tiers. */
    public static List<Topic<?, ?>> fixed() {
        return List.of(TASKS, TASKS_DLQ, POLICY, STATS, ALERTS, OTLP_SPANS, STUCK, UNMATCHED, LATE, ATTRIBUTION_DLQ);
    }

    /** True for a topic of some tier ({@code tasks.<tier>}, {@code results.<tier>}), whatever the policy file. */
    public static boolean isTierTopic(String name) {
        String tier = name.startsWith(ROUTED_PREFIX) ? name.substring(ROUTED_PREFIX.length())
                : name.startsWith(RESULTS_PREFIX) ? name.substring(RESULTS_PREFIX.length()) : null;
        return tier != null && tierNameProblem(tier) == null;
    }

    /** The topic a tier's workers consume: {@code tasks.<tier>}. */
    public static Topic<String, RoutedTask> routedTasks(String tier) {
        return new Topic<>(ROUTED_PREFIX + requireValidTierName(tier), String.class, RoutedTask.class);
    }

    /**
     * Records a tier's workers could not execute (undecodable, or a decision the policy does not allow):
     * original bytes with {@link DeadLetterHeaders}, {@code tasks.<tier>.dlq}. Never read as a tier topic.
     */
    public static Topic<byte[], byte[]> workerDeadLetters(String tier) {
        return new Topic<>(ROUTED_PREFIX + requireValidTierName(tier) + DLQ_SUFFIX, byte[].class, byte[].class);
    }

    /**
     * Every dead-letter topic: the router's, the attribution job's and each tier's workers', whatever the
     * policy file's tiers (a reader subscribed by this pattern also sees the topics of tiers added later).
     */
    public static Pattern deadLetterTopics() {
        return DEAD_LETTER_TOPICS;
    }

    /** The topic a tier's workers write result spans to: {@code results.<tier>}. */
    public static Topic<String, ResultSpan> results(String tier) {
        return new Topic<>(RESULTS_PREFIX + requireValidTierName(tier), String.class, ResultSpan.class);
    }

    /** Why a name cannot be a tier name, or null when it can. */
    public static String tierNameProblem(String tier) {
        if (tier == null || !TIER_NAME.matcher(tier).matches()) {
            return "must match " + TIER_NAME.pattern() + " (lower-case letters, digits, '-' and '_')";
        }
        if (tier.equals("dlq")) {
            return "is reserved for " + TASKS_DLQ.name();
        }
        return null;
    }

    private static String requireValidTierName(String tier) {
        String problem = tierNameProblem(tier);
        if (problem != null) {
            throw new IllegalArgumentException("invalid tier name '" + tier + "': " + problem);
        }
        return tier;
    }
}
