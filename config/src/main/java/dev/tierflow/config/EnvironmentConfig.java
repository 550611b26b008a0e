package dev.tierflow.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Maps environment variables to properties: {@code KAFKA_SASL_JAAS_CONFIG} → {@code sasl.jaas.config},
 * {@code APICURIO_REGISTRY_URL} → {@code apicurio.registry.url}, {@code TIERFLOW_ROUTER_POLICY_FILE} →
 * {@code tierflow.router.policy.file}, {@code TIERFLOW_WORKER_TIER} → {@code tierflow.worker.tier}. A double underscore stands for a dash
 * ({@code APICURIO_REGISTRY_AUTO__REGISTER} → {@code apicurio.registry.auto-register}).
 */
public final class EnvironmentConfig {

    private static final Map<String, String> PREFIXES = Map.of(
            "KAFKA_", "",
            "APICURIO_REGISTRY_", "apicurio.registry.",
            "TIERFLOW_", "tierflow.");

    private EnvironmentConfig() {
    }

    /** The properties the given environment sets; other variables are ignored. */
    public static Properties parse(Map<String, String> environment) {
        Properties properties = new Properties();
        environment.forEach((name, value) -> PREFIXES.forEach((prefix, target) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                properties.setProperty(target + toPropertyName(name.substring(prefix.length())), value);
            }
        }));
        return properties;
    }

    /**
     * Layers a component's configuration: {@code defaults} &lt; properties {@code file} (if any) &lt;
     * {@code environment} &lt; command-line {@code flags}.
     */
    public static Properties layered(Properties defaults, Path file, Map<String, String> environment, Properties flags) {
        Properties merged = new Properties();
        merged.putAll(defaults);
        if (file != null) {
            merged.putAll(readFile(file));
        }
        merged.putAll(parse(environment));
        merged.putAll(flags);
        return merged;
    }

    private static Properties readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    private static String toPropertyName(String variablePart) {
        return variablePart.toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
    }
}
