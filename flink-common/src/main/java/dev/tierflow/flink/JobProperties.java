package dev.tierflow.flink;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.util.TimeUtils;

/**
 * Reads a job's layered properties: its own {@code tierflow.*} settings with errors that name them, and
 * the rest split into the registry's ({@code apicurio.registry.*}) and the Kafka clients' (untouched).
 */
public final class JobProperties {

    private static final String OWN_PREFIX = "tierflow.";
    private static final String REGISTRY_PREFIX = "apicurio.registry.";

    private final Properties all;

    public JobProperties(Properties all) {
        this.all = all;
    }

    public Map<String, String> registryConfig() {
        Map<String, String> registry = new HashMap<>();
        for (String name : all.stringPropertyNames()) {
            if (name.startsWith(REGISTRY_PREFIX)) {
                registry.put(name, all.getProperty(name));
            }
        }
        return Map.copyOf(registry);
    }

    /** Everything that is neither TierFlow's nor the registry's; bootstrap.servers must be among it. */
    public Map<String, String> clientConfig() {
        Map<String, String> clients = new HashMap<>();
        for (String name : all.stringPropertyNames()) {
            if (!name.startsWith(REGISTRY_PREFIX) && !name.startsWith(OWN_PREFIX)) {
                clients.put(name, all.getProperty(name));
            }
        }
        if (!clients.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("bootstrap.servers is required (--bootstrap-servers)");
        }
        return Map.copyOf(clients);
    }

    /** Client settings as the Kafka clients and admin take them. */
    public static Properties asProperties(Map<String, String> config) {
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    public String required(String name, String what) {
        String value = all.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required: " + what);
        }
        return value.trim();
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(all.getProperty(name, "false").trim());
    }

    /** A duration written like Flink's: {@code 30 s}, {@code 5 min}, {@code 500 ms}. */
    public Duration duration(String name) {
        String value = required(name, "a duration such as '30 s' or '5 min'");
        try {
            return TimeUtils.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be a duration such as '30 s' or '5 min', was '" + value + "'", e);
        }
    }

    public int positive(String name) {
        String value = required(name, "a whole number");
        try {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of at least 1, was '" + value + "'");
        }
    }

    /** The transaction timeout must outlast the checkpoint interval: a transaction stays open from one checkpoint to the next. */
    public static void requireTransactionOutlastsCheckpoints(String timeoutName, Duration timeout, String intervalName, Duration interval) {
        if (timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException(timeoutName + " (" + timeout + ") must exceed " + intervalName + " (" + interval
                    + "): a transaction stays open from one checkpoint to the next");
        }
    }
}
