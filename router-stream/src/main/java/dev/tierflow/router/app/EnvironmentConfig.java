package dev.tierflow.router.app;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Maps environment variables to properties: {@code KAFKA_SASL_JAAS_CONFIG} → {@code sasl.jaas.config},
 * {@code APICURIO_REGISTRY_URL} → {@code apicurio.registry.url}, {@code TIERFLOW_ROUTER_POLICY_FILE} →
 * {@code tierflow.router.policy.file}. A double underscore stands for a dash
 * ({@code APICURIO_REGISTRY_AUTO__REGISTER} → {@code apicurio.registry.auto-register}).
 */
public final class EnvironmentConfig {

    private static final Map<String, String> PREFIXES = Map.of(
            "KAFKA_", "",
            "APICURIO_REGISTRY_", "apicurio.registry.",
            "TIERFLOW_ROUTER_", "tierflow.router.");

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

    private static String toPropertyName(String variablePart) {
        return variablePart.toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
    }
}
