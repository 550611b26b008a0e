package dev.tierflow.router.app;

import dev.tierflow.config.EnvironmentConfig;
import dev.tierflow.router.stream.DeadLetterHandler;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** Layers the router's configuration: defaults &lt; properties file &lt; environment &lt; command-line flags. */
public final class RouterConfigLoader {

    private RouterConfigLoader() {
    }

    public static Properties defaults() {
        Properties defaults = new Properties();
        defaults.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "tierflow-router");
        defaults.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        defaults.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        defaults.setProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.TASKS_DLQ.name());
        defaults.setProperty(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        defaults.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        defaults.setProperty(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        defaults.setProperty(AvroSerdes.REGISTRY_URL, "http://localhost:8080/apis/registry/v3");
        return defaults;
    }

    /**
     * The merged configuration: defaults &lt; properties file &lt; environment &lt; flags.
     *
     * @param file a properties file, or null
     * @param environment the process environment (passed in so tests can give their own)
     * @param flags properties from command-line flags
     */
    public static Properties load(Path file, Map<String, String> environment, Properties flags) {
        return EnvironmentConfig.layered(defaults(), file, environment, flags);
    }
}
