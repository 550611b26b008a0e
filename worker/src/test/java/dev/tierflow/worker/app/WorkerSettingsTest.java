package dev.tierflow.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.policy.price.UnknownModelException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorkerSettingsTest {

    private static WorkerSettings parse(Map<String, String> environment, String... args) {
        WorkerCommand command = new WorkerCommand(environment);
        new CommandLine(command).parseArgs(args);
        return WorkerSettings.from(command.configuration());
    }

    @Test
    void flagsEnvironmentAndDefaultsLayer() {
        WorkerSettings settings = parse(Map.of("TIERFLOW_WORKER_CONCURRENCY", "8", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                "--tier", "mid", "--policy", "p.yaml", "--prices", "prices.yaml", "--bootstrap-servers", "b:9092",
                "-D", "ssl.truststore.location=/t.jks");

        assertThat(settings.tier()).isEqualTo("mid");
        assertThat(settings.concurrency()).isEqualTo(8);
        assertThat(settings.groupId()).isEqualTo("tierflow-worker-mid");
        assertThat(settings.transactionalId()).startsWith("tierflow-worker-mid-");
        assertThat(settings.clientConfig().getProperty("bootstrap.servers")).isEqualTo("b:9092");
        assertThat(settings.clientConfig().getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(settings.clientConfig().getProperty("ssl.truststore.location")).isEqualTo("/t.jks");
        assertThat(settings.clientConfig().stringPropertyNames()).noneMatch(n -> n.startsWith("tierflow.") || n.startsWith("apicurio."));
        assertThat(settings.registryConfig()).containsKey("apicurio.registry.url");
    }

    @Test
    void missingTierPolicyOrPricesIsAClearError() {
        assertThatThrownBy(() -> parse(Map.of(), "--policy", "p.yaml", "--prices", "x.yaml"))
                .hasMessage("tierflow.worker.tier is required: the tier whose tasks this worker runs (--tier)");
        assertThatThrownBy(() -> parse(Map.of(), "--tier", "small", "--policy", "p.yaml"))
                .hasMessage("tierflow.worker.prices.file is required: the price catalog YAML (--prices)");
        assertThatThrownBy(() -> parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml", "--concurrency", "0"))
                .hasMessage("tierflow.worker.concurrency must be at least 1, was 0");
    }

    @Test
    void aTierMayAnswerWithItsModelItsFallbackAndThePinsRoutedToIt() {
        RoutingPolicy policy = PolicyLoader.load(Path.of("../examples/policy.yaml"));

        assertThat(WorkerApp.modelsOf(policy, policy.tier("mid"))).containsExactly("claude-sonnet-4-5", "claude-sonnet-4-5-eu");
        assertThat(WorkerApp.modelsOf(policy, policy.tier("small"))).containsExactly("claude-haiku-4-5");
    }

    @Test
    void eachBackendTypeOfThePolicyIsMade() {
        String yaml = """
                version: "v1"
                tiers:
                  - {name: small, model: claude-haiku-4-5, provider: anthropic}
                  - {name: mid, model: claude-sonnet-4-5, provider: anthropic, backend: {type: anthropic, apiKeyEnv: ANTHROPIC_API_KEY, fallbackModel: claude-haiku-4-5}}
                  - {name: local, model: llama3, provider: ollama, backend: {type: openai, baseUrl: "http://127.0.0.1:11434/v1", apiKeyEnv: OLLAMA_KEY}}
                  - {name: replayed, model: gpt-4, provider: openai, backend: {type: replay, file: src/test/resources/replay/long.csv}}
                defaultTier: small
                """;
        RoutingPolicy policy = PolicyLoader.parse(yaml, "inline");
        WorkerSettings settings = parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml");
        Map<String, String> env = Map.of("ANTHROPIC_API_KEY", "sk-test", "OLLAMA_KEY", "none");

        assertThat(WorkerBackends.create(policy.tier("small"), settings, env)).isInstanceOf(dev.tierflow.worker.simulator.SimulatedModelBackend.class);
        assertThat(WorkerBackends.create(policy.tier("mid"), settings, env)).isInstanceOf(dev.tierflow.worker.backend.llm.FallbackBackend.class);
        assertThat(WorkerBackends.create(policy.tier("local"), settings, env)).isInstanceOf(dev.tierflow.worker.backend.llm.OpenAiCompatibleBackend.class);
        assertThat(WorkerBackends.create(policy.tier("replayed"), settings, env)).isInstanceOf(dev.tierflow.worker.replay.ReplayModelBackend.class);
    }

    @Test
    void theExamplePricesCoverEveryModelOfTheExamplePolicy() {
        RoutingPolicy policy = PolicyLoader.load(Path.of("../examples/policy.yaml"));
        PriceCatalog prices = PriceCatalog.load(Path.of("../examples/prices.yaml"));

        policy.tiers().forEach(tier -> prices.requireModels(WorkerApp.modelsOf(policy, tier)));
        assertThatThrownBy(() -> prices.requireModels(java.util.List.of("claude-haiku-4-5", "gpt-9")))
                .isInstanceOf(UnknownModelException.class).hasMessageContaining("gpt-9");
    }

    @Test
    void theCommandServesMetricsOnLoopbackByDefaultAndTheFlagsMoveIt() {
        WorkerSettings defaults = parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml");
        assertThat(defaults.metricsEnabled()).isTrue();
        assertThat(defaults.metricsBinding().host()).isEqualTo("127.0.0.1");
        assertThat(defaults.metricsBinding().port()).isEqualTo(9465);
        assertThat(defaults.metricsBinding().token()).isNull();

        WorkerSettings moved = parse(Map.of("TIERFLOW_WORKER_METRICS_TOKEN", "s3cret"), "--tier", "small", "--policy", "p.yaml",
                "--prices", "x.yaml", "--metrics-port", "9999", "--metrics-host", "0.0.0.0");
        assertThat(moved.metricsBinding().host()).isEqualTo("0.0.0.0");
        assertThat(moved.metricsBinding().port()).isEqualTo(9999);
        assertThat(moved.metricsBinding().token()).isEqualTo("s3cret");

        WorkerSettings off = parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml", "--metrics-port", "-1");
        assertThat(off.metricsEnabled()).isFalse();
    }

    @Test
    void embeddedWorkersServeNoMetricsUnlessAsked() {
        java.util.Properties config = WorkerSettings.defaults();
        config.setProperty(WorkerSettings.TIER, "small");
        config.setProperty(WorkerSettings.POLICY_FILE, "p.yaml");
        config.setProperty(WorkerSettings.PRICES_FILE, "x.yaml");

        assertThat(WorkerSettings.from(config).metricsEnabled()).isFalse();
    }

    @Test
    void commitIntervalAndCallTimeoutAreDurations() {
        WorkerSettings settings = parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml",
                "-D", "tierflow.worker.commit.interval=PT2S", "-D", "tierflow.worker.call.timeout=PT10M");
        assertThat(settings.loopSettings().commitInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(settings.loopSettings().callTimeout()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(settings.loopSettings().concurrency()).isEqualTo(16);
        assertThat(parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml").loopSettings().commitInterval())
                .isEqualTo(java.time.Duration.ofMillis(500));

        assertThatThrownBy(() -> parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml",
                "-D", "tierflow.worker.call.timeout=10 minutes"))
                .hasMessage("tierflow.worker.call.timeout must be an ISO-8601 duration such as PT0.5S, was '10 minutes'");
        assertThatThrownBy(() -> parse(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "x.yaml",
                "-D", "tierflow.worker.commit.interval=PT0S"))
                .hasMessage("tierflow.worker.commit.interval must be a positive duration, was PT0S");
    }
}
