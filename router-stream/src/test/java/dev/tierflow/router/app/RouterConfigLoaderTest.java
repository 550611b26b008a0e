package dev.tierflow.router.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RouterConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreExactlyOnceWithTheDeadLetterTopicAndExplicitNaming() {
        Properties defaults = RouterConfigLoader.defaults();

        assertThat(defaults.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(defaults.getProperty("errors.dead.letter.queue.topic.name")).isEqualTo("tasks.dlq");
        assertThat(defaults.getProperty("ensure.explicit.internal.resource.naming")).isEqualTo("true");
    }

    @Test
    void fileBeatsDefaultsEnvironmentBeatsFileFlagsBeatEverything() throws IOException {
        Path file = dir.resolve("router.properties");
        Files.writeString(file, """
                bootstrap.servers=file:9092
                application.id=from-file
                tierflow.router.policy.file=/etc/policy.yaml
                tierflow.router.prices.file=/etc/prices.yaml
                security.protocol=SASL_SSL
                """);
        Map<String, String> env = Map.of(
                "KAFKA_APPLICATION_ID", "from-env",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
                "APICURIO_REGISTRY_AUTO__REGISTER", "false",
                "TIERFLOW_ROUTER_METRICS_PORT", "9999",
                "HOME", "/root");
        Properties flags = new Properties();
        flags.setProperty("application.id", "from-flag");

        Properties merged = RouterConfigLoader.load(file, env, flags);

        assertThat(merged.getProperty("bootstrap.servers")).isEqualTo("file:9092");
        assertThat(merged.getProperty("application.id")).isEqualTo("from-flag");
        assertThat(merged.getProperty("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.plain.PlainLoginModule");
        assertThat(merged.getProperty("apicurio.registry.auto-register")).isEqualTo("false");
        assertThat(merged.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(merged.stringPropertyNames()).noneMatch(name -> name.startsWith("home"));

        RouterSettings settings = RouterSettings.from(merged);
        assertThat(settings.policyFile()).isEqualTo(Path.of("/etc/policy.yaml"));
        assertThat(settings.metricsBinding().port()).isEqualTo(9999);
        assertThat(settings.metricsBinding().host()).as("metrics bind the loopback address by default").isEqualTo("127.0.0.1");
        assertThat(settings.metricsBinding().token()).isNull();
        assertThat(settings.streamsConfig().getProperty("security.protocol")).as("security settings pass through").isEqualTo("SASL_SSL");
        assertThat(settings.streamsConfig().getProperty("sasl.jaas.config")).isNotNull();
        assertThat(settings.streamsConfig().stringPropertyNames()).noneMatch(name -> name.startsWith("tierflow.") || name.startsWith("apicurio."));
        assertThat(settings.registryConfig()).containsEntry("apicurio.registry.auto-register", "false");
    }

    @Test
    void commandLineFlagsLandInTheirProperties() {
        RouterCommand command = new RouterCommand(Map.of());
        new CommandLine(command).parseArgs("--policy", "p.yaml", "--prices", "prices.yaml", "--bootstrap-servers", "b:1", "--registry-url", "http://r/apis/registry/v3",
                "--metrics-port", "-1", "--metrics-host", "0.0.0.0", "--no-create-topics", "-D", "ssl.truststore.location=/t.jks");

        RouterSettings settings = RouterSettings.from(command.configuration());

        assertThat(settings.policyFile()).isEqualTo(Path.of("p.yaml"));
        assertThat(settings.pricesFile()).isEqualTo(Path.of("prices.yaml"));
        assertThat(settings.metricsEnabled()).isFalse();
        assertThat(settings.metricsBinding().host()).isEqualTo("0.0.0.0");
        assertThat(settings.createTopics()).isFalse();
        assertThat(settings.streamsConfig().getProperty("bootstrap.servers")).isEqualTo("b:1");
        assertThat(settings.streamsConfig().getProperty("ssl.truststore.location")).isEqualTo("/t.jks");
        assertThat(settings.registryConfig()).containsEntry("apicurio.registry.url", "http://r/apis/registry/v3");
    }

    @Test
    void missingPolicyFileIsAClearError() {
        assertThatThrownBy(() -> RouterSettings.from(RouterConfigLoader.defaults()))
                .hasMessageContaining("tierflow.router.policy.file is required");
    }

    @Test
    void missingPricesFileIsAClearError() {
        Properties config = RouterConfigLoader.defaults();
        config.setProperty(RouterSettings.POLICY_FILE, "p.yaml");

        assertThatThrownBy(() -> RouterSettings.from(config))
                .hasMessageContaining("tierflow.router.prices.file is required");
    }

    @Test
    void validateOnlyPrintsThePolicyAndExitsZero() {
        int exit = new CommandLine(new RouterCommand(Map.of())).execute("--policy", "../examples/policy.yaml", "--validate-only");

        assertThat(exit).isZero();
    }

    @Test
    void invalidPolicyExitsNonZero() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: v\ntiers: []\n");

        int exit = new CommandLine(new RouterCommand(Map.of())).execute("--policy", bad.toString(), "--validate-only");

        assertThat(exit).isNotZero();
    }
}
