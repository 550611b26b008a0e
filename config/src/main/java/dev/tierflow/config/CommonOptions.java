package dev.tierflow.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The flags every TierFlow component command takes (a picocli mixin): a properties file, the broker and
 * registry addresses, and {@code -D} for any other property. Each command adds its own flags on top.
 */
public final class CommonOptions {

    @Option(names = "--config", description = "Properties file (Kafka client/Streams properties, apicurio.registry.*, tierflow.*).")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "Apicurio Registry v3 API URL (apicurio.registry.url).")
    String registryUrl;

    @Option(names = "-D", paramLabel = "key=value", description = "Any property, e.g. -D security.protocol=SASL_SSL.")
    Map<String, String> properties = new LinkedHashMap<>();

    public Path configFile() {
        return configFile;
    }

    /** The properties these flags set, to which a command adds its own with {@link #putIfSet}. */
    public Properties flags() {
        Properties flags = new Properties();
        flags.putAll(properties);
        putIfSet(flags, "bootstrap.servers", bootstrapServers);
        putIfSet(flags, "apicurio.registry.url", registryUrl);
        return flags;
    }

    /** Sets a property only when its flag was given, so lower layers (file, environment) still apply. */
    public static void putIfSet(Properties target, String key, Object value) {
        if (value != null) {
            target.setProperty(key, value.toString());
        }
    }
}
