package dev.tierflow.alerting.app;

import dev.tierflow.flink.JobProperties;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The alerting job's settings, split like the attribution job's: its own ({@code tierflow.alerting.*}),
 * the registry's ({@code apicurio.registry.*}) and the Kafka clients' (everything else, untouched).
 */
public record AlertingSettings(Path policyFile, Path pricesFile, String groupId, boolean actionsEnabled, Duration outOfOrderness,
                               Duration idleness, Duration checkpointInterval, String transactionalIdPrefix,
                               Duration transactionTimeout, int parallelism, int topicPartitions, boolean bounded,
                               Map<String, String> registryConfig, Map<String, String> clientConfig) implements Serializable {

    private static final String PREFIX = "tierflow.alerting.";
    public static final String POLICY_FILE = PREFIX + "policy.file";
    /** The workers' price catalog: policy records are validated as the router validates them, price check included. */
    public static final String PRICES_FILE = PREFIX + "prices.file";
    public static final String GROUP_ID = PREFIX + "group.id";
    /** false: alerts still fire and say so, but the job never writes to the policy topic (a global freeze). */
    public static final String ACTIONS_ENABLED = PREFIX + "actions.enabled";
    /** How far out of window-end order stats may arrive (a window fires again after late data). */
    public static final String OUT_OF_ORDERNESS = PREFIX + "watermark.out-of-orderness";
    public static final String IDLENESS = PREFIX + "watermark.idleness";
    public static final String CHECKPOINT_INTERVAL = PREFIX + "checkpoint.interval";
    public static final String TRANSACTIONAL_ID_PREFIX = PREFIX + "transactional-id-prefix";
    public static final String TRANSACTION_TIMEOUT = PREFIX + "transaction.timeout";
    public static final String PARALLELISM = PREFIX + "parallelism";
    public static final String TOPIC_PARTITIONS = PREFIX + "topic.partitions";
    /** Read the inputs to their end offsets at start, then finish (replays and tests). */
    public static final String BOUNDED = PREFIX + "bounded";

    public static Properties defaults() {
        Properties defaults = new Properties();
        defaults.setProperty("bootstrap.servers", "localhost:9092");
        defaults.setProperty("apicurio.registry.url", "http://localhost:8080/apis/registry/v3");
        defaults.setProperty(GROUP_ID, "tierflow-alerting");
        defaults.setProperty(ACTIONS_ENABLED, "true");
        defaults.setProperty(OUT_OF_ORDERNESS, "1 min");
        defaults.setProperty(IDLENESS, "1 min");
        // the policy change becomes visible to the router when the job commits: keep the loop short
        defaults.setProperty(CHECKPOINT_INTERVAL, "2 s");
        defaults.setProperty(TRANSACTIONAL_ID_PREFIX, "tierflow-alerting");
        defaults.setProperty(TRANSACTION_TIMEOUT, "10 min");
        defaults.setProperty(PARALLELISM, "1");
        defaults.setProperty(TOPIC_PARTITIONS, "6");
        defaults.setProperty(BOUNDED, "false");
        return defaults;
    }

    public static AlertingSettings from(Properties all) {
        JobProperties properties = new JobProperties(all);
        Map<String, String> clients = properties.clientConfig();
        Duration checkpointInterval = properties.duration(CHECKPOINT_INTERVAL);
        Duration transactionTimeout = properties.duration(TRANSACTION_TIMEOUT);
        JobProperties.requireTransactionOutlastsCheckpoints(TRANSACTION_TIMEOUT, transactionTimeout, CHECKPOINT_INTERVAL, checkpointInterval);
        return new AlertingSettings(Path.of(properties.required(POLICY_FILE, "the policy YAML with the alerting rules (--policy)")),
                Path.of(properties.required(PRICES_FILE, "the price catalog YAML the router and workers use (--prices);"
                        + " policy records are validated as the router validates them")),
                properties.required(GROUP_ID, "the consumer group id"),
                Boolean.parseBoolean(all.getProperty(ACTIONS_ENABLED, "true").trim()),
                properties.duration(OUT_OF_ORDERNESS), properties.duration(IDLENESS), checkpointInterval,
                properties.required(TRANSACTIONAL_ID_PREFIX, "the sinks' transactional id prefix"), transactionTimeout,
                properties.positive(PARALLELISM), properties.positive(TOPIC_PARTITIONS), properties.flag(BOUNDED),
                properties.registryConfig(), clients);
    }

    public Properties clientProperties() {
        return JobProperties.asProperties(clientConfig);
    }

    public String bootstrapServers() {
        return clientConfig.get("bootstrap.servers");
    }
}
