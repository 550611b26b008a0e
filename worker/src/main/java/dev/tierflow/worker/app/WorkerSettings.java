package dev.tierflow.worker.app;

import dev.tierflow.config.http.HttpBinding;
import dev.tierflow.worker.runtime.LoopSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A worker's settings, split out of one layered property set: TierFlow's own ({@code tierflow.worker.*}),
 * the registry's ({@code apicurio.registry.*}, passed to the serdes untouched) and everything else, passed
 * to the Kafka clients untouched (including SASL/SSL settings).
 */
public record WorkerSettings(String tier, Path policyFile, Path pricesFile, int concurrency, String groupId,
                             String transactionalId, long simulatorSeed, Path simulatorProfile, int topicPartitions,
                             Map<String, Object> registryConfig, Properties clientConfig, boolean otelEnabled,
                             HttpBinding metricsBinding, boolean metricsEnabled, Duration commitInterval, Duration callTimeout) {

    public static final String TIER = "tierflow.worker.tier";
    public static final String POLICY_FILE = "tierflow.worker.policy.file";
    public static final String PRICES_FILE = "tierflow.worker.prices.file";
    /** Model calls in flight at once in this instance. */
    public static final String CONCURRENCY = "tierflow.worker.concurrency";
    public static final String GROUP_ID = "tierflow.worker.group.id";
    /** Unique per running instance; the default adds a random suffix to the group id. */
    public static final String TRANSACTIONAL_ID = "tierflow.worker.transactional.id";
    public static final String SIMULATOR_SEED = "tierflow.worker.simulator.seed";
    public static final String SIMULATOR_PROFILE = "tierflow.worker.simulator.profile";
    public static final String TOPIC_PARTITIONS = "tierflow.worker.topic.partitions";
    /**
     * Export the committed result spans with OpenTelemetry (OTLP, configured by {@code OTEL_*}) even when
     * neither {@code OTEL_EXPORTER_OTLP_ENDPOINT} nor {@code OTEL_TRACES_EXPORTER} is set. See OTEL.md.
     */
    public static final String OTEL_ENABLED = "tierflow.worker.otel.enabled";

    /** Port of {@code /metrics} and {@code /health}; 0 = any free port, -1 = off (the default when embedded; the command serves 9465). */
    public static final String METRICS_PORT = "tierflow.worker.metrics.port";
    /** Address the metrics endpoint binds; the loopback address unless set (e.g. 0.0.0.0 for a scraper elsewhere). */
    public static final String METRICS_HOST = "tierflow.worker.metrics.host";
    /** Bearer token the metrics endpoint requires; none unless set (TIERFLOW_WORKER_METRICS_TOKEN keeps it out of process listings). */
    public static final String METRICS_TOKEN = "tierflow.worker.metrics.token";
    /** The longest a finished result waits for its transaction (ISO-8601, default PT0.5S). */
    public static final String COMMIT_INTERVAL = "tierflow.worker.commit.interval";
    /** A model call still running after this is given up with an ERROR span (ISO-8601, default PT15M). */
    public static final String CALL_TIMEOUT = "tierflow.worker.call.timeout";
    /** The port {@code tierflow-worker} serves metrics on unless told otherwise (the router's is 9464). */
    public static final int COMMAND_METRICS_PORT = 9465;

    private static final String OWN_PREFIX = "tierflow.";
    private static final String REGISTRY_PREFIX = "apicurio.registry.";

    public static Properties defaults() {
        Properties defaults = new Properties();
        defaults.setProperty("bootstrap.servers", "localhost:9092");
        defaults.setProperty("apicurio.registry.url", "http://localhost:8080/apis/registry/v3");
        defaults.setProperty(CONCURRENCY, "16");
        defaults.setProperty(SIMULATOR_SEED, "42");
        defaults.setProperty(TOPIC_PARTITIONS, "6");
        defaults.setProperty(METRICS_PORT, "-1");
        defaults.setProperty(COMMIT_INTERVAL, LoopSettings.DEFAULT_COMMIT_INTERVAL.toString());
        defaults.setProperty(CALL_TIMEOUT, LoopSettings.DEFAULT_CALL_TIMEOUT.toString());
        return defaults;
    }

    public static WorkerSettings from(Properties all) {
        String tier = required(all, TIER, "the tier whose tasks this worker runs (--tier)");
        Path policy = Path.of(required(all, POLICY_FILE, "the policy YAML (--policy)"));
        Path prices = Path.of(required(all, PRICES_FILE, "the price catalog YAML (--prices)"));
        Map<String, Object> registry = new HashMap<>();
        Properties clients = new Properties();
        for (String name : all.stringPropertyNames()) {
            if (name.startsWith(REGISTRY_PREFIX)) {
                registry.put(name, all.getProperty(name));
            } else if (!name.startsWith(OWN_PREFIX)) {
                clients.setProperty(name, all.getProperty(name));
            }
        }
        String group = all.getProperty(GROUP_ID, "tierflow-worker-" + tier);
        String profile = all.getProperty(SIMULATOR_PROFILE);
        int concurrency = integer(all, CONCURRENCY);
        int metricsPort = integer(all, METRICS_PORT);
        if (concurrency < 1) {
            throw new IllegalArgumentException(CONCURRENCY + " must be at least 1, was " + concurrency);
        }
        return new WorkerSettings(tier, policy, prices, concurrency, group,
                all.getProperty(TRANSACTIONAL_ID, group + "-" + UUID.randomUUID()),
                Long.parseLong(all.getProperty(SIMULATOR_SEED, "42").trim()),
                profile == null || profile.isBlank() ? null : Path.of(profile),
                integer(all, TOPIC_PARTITIONS), Map.copyOf(registry), clients,
                Boolean.parseBoolean(all.getProperty(OTEL_ENABLED, "false").trim()),
                new HttpBinding(all.getProperty(METRICS_HOST), Math.max(0, metricsPort), all.getProperty(METRICS_TOKEN)),
                metricsPort >= 0, positiveDuration(all, COMMIT_INTERVAL), positiveDuration(all, CALL_TIMEOUT));
    }

    /** The loop's pacing: the concurrency, commit interval and call timeout set here, the rest default. */
    public LoopSettings loopSettings() {
        return LoopSettings.defaults(concurrency).withCommitInterval(commitInterval).withCallTimeout(callTimeout);
    }

    private static Duration positiveDuration(Properties all, String name) {
        String value = all.getProperty(name);
        try {
            Duration duration = Duration.parse(value.trim());
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
            }
            return duration;
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT0.5S, was '" + value + "'");
        }
    }

    private static String required(Properties all, String name, String what) {
        String value = all.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required: " + what);
        }
        return value.trim();
    }

    private static int integer(Properties all, String name) {
        String value = all.getProperty(name);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }
}
