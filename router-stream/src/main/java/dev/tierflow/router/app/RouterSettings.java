package dev.tierflow.router.app;

import dev.tierflow.config.http.HttpBinding;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The router's settings, split out of one layered property set: TierFlow's own ({@code tierflow.router.*}),
 * the registry's ({@code apicurio.registry.*}, passed to the serdes untouched) and everything else, passed
 * to Kafka Streams untouched (including SASL/SSL settings).
 */
public record RouterSettings(Path policyFile, Path pricesFile, HttpBinding metricsBinding, boolean metricsEnabled, boolean createTopics, int topicPartitions,
                             Optional<Short> replicationFactor, Map<String, Object> registryConfig, Properties streamsConfig) {

    public static final String POLICY_FILE = "tierflow.router.policy.file";
    /**
     * The price catalog the workers price answers with. Required: a live override naming a model without a
     * price is rejected (a worker would call the model and have no price for its answer).
     */
    public static final String PRICES_FILE = "tierflow.router.prices.file";
    /** Port of the Prometheus endpoint; 0 picks a free one, -1 turns it off. */
    public static final String METRICS_PORT = "tierflow.router.metrics.port";
    /** Address the metrics endpoint binds; the loopback address unless set (e.g. 0.0.0.0 for a scraper elsewhere). */
    public static final String METRICS_HOST = "tierflow.router.metrics.host";
    /** Bearer token the metrics endpoint requires; none unless set (TIERFLOW_ROUTER_METRICS_TOKEN in the environment keeps it out of process listings). */
    public static final String METRICS_TOKEN = "tierflow.router.metrics.token";
    public static final String CREATE_TOPICS = "tierflow.router.create.topics";
    public static final String TOPIC_PARTITIONS = "tierflow.router.topic.partitions";
    public static final String REPLICATION_FACTOR = "tierflow.router.topic.replication.factor";

    private static final String OWN_PREFIX = "tierflow.";
    private static final String REGISTRY_PREFIX = "apicurio.registry.";

    public static RouterSettings from(Properties all) {
        String policy = all.getProperty(POLICY_FILE);
        if (policy == null || policy.isBlank()) {
            throw new IllegalArgumentException(POLICY_FILE + " is required (the policy YAML file; --policy on the command line)");
        }
        String prices = all.getProperty(PRICES_FILE);
        if (prices == null || prices.isBlank()) {
            throw new IllegalArgumentException(PRICES_FILE + " is required (the price catalog YAML the workers use, e.g. examples/prices.yaml;"
                    + " --prices on the command line): live overrides naming a model without a price are rejected");
        }
        Map<String, Object> registry = new HashMap<>();
        Properties streams = new Properties();
        for (String name : all.stringPropertyNames()) {
            if (name.startsWith(REGISTRY_PREFIX)) {
                registry.put(name, all.getProperty(name));
            } else if (!name.startsWith(OWN_PREFIX)) {
                streams.setProperty(name, all.getProperty(name));
            }
        }
        String replication = all.getProperty(REPLICATION_FACTOR);
        return new RouterSettings(
                Path.of(policy),
                Path.of(prices),
                new HttpBinding(all.getProperty(METRICS_HOST), Math.max(0, integer(all, METRICS_PORT, 9464)),
                        all.getProperty(METRICS_TOKEN)),
                integer(all, METRICS_PORT, 9464) >= 0,
                Boolean.parseBoolean(all.getProperty(CREATE_TOPICS, "true")),
                integer(all, TOPIC_PARTITIONS, 6),
                replication == null || replication.isBlank() ? Optional.empty() : Optional.of(Short.parseShort(replication.trim())),
                Map.copyOf(registry),
                streams);
    }

    private static int integer(Properties all, String name, int fallback) {
        String value = all.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }
}
