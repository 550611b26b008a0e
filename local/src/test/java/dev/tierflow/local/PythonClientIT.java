package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.local.schemas.CcompatRegistrar;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.Tier;
import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.testing.RequiredTool;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Python example ({@code examples/python}) on Debian's {@code python3-confluent-kafka} and
 * {@code python3-avro}, against the real broker, the real registry and the router: with the schemas registered
 * as {@code tierflow up} registers them, a task produced from Python is routed, and the Python consumer reads it
 * back from its tier's topic with the router's decision.
 */
@ExtendWith(TierFlowInfraExtension.class)
class PythonClientIT {

    /** Debian's interpreter, where apt puts the packages (a pyenv or venv python3 on the PATH may not have them). */
    private static final String PYTHON = System.getProperty("tierflow.python", "/usr/bin/python3");
    private static final Path EXAMPLES = Path.of("..", "examples", "python").toAbsolutePath().normalize();
    private static final Path PRICES = Path.of("..", "examples", "prices.yaml").toAbsolutePath().normalize();
    private static final Path POLICY = Path.of("..", "examples", "policy.yaml").toAbsolutePath().normalize();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void aTaskProducedFromPythonIsRoutedAndReadBackFromPython(TierFlowInfra infra, @TempDir Path dataDir) throws Exception {
        RequiredTool.assumeOrFail(PYTHON + " with confluent_kafka, avro and requests (apt-get install python3-confluent-kafka python3-avro python3-requests)",
                run(List.of(PYTHON, "-c", "import confluent_kafka, avro, requests"), Duration.ofSeconds(30)).exitCode() == 0);
        List<String> tiers = PolicyLoader.load(POLICY).tiers().stream().map(Tier::name).toList();
        String ccompat = CcompatRegistrar.ccompatUrl(infra.registryUrl());
        SchemasCommand.register(infra.registryUrl(), PolicyLoader.load(POLICY), Duration.ofSeconds(30));
        String taskId = "python-it-" + System.nanoTime();

        try (RouterApp router = RouterApp.start(RouterSettings.from(Pipeline.routerConfig(infra.bootstrapServers(), infra.registryUrl(),
                POLICY, PRICES, dataDir, -1, 1)))) {
            assertThat(router.awaitRunning(Duration.ofSeconds(60))).as("router running").isTrue();

            Result produced = run(List.of(PYTHON, EXAMPLES.resolve("produce_task.py").toString(), infra.bootstrapServers(), ccompat, taskId),
                    SCRIPT_TIMEOUT);
            assertThat(produced.exitCode()).as("produce_task.py: %s", produced.output()).isZero();
            assertThat(produced.output()).contains("sent " + taskId);

            List<String> consume = new ArrayList<>(List.of(PYTHON, EXAMPLES.resolve("consume_routed.py").toString(), infra.bootstrapServers(),
                    ccompat, taskId));
            consume.addAll(tiers);
            Result routed = run(consume, SCRIPT_TIMEOUT);

            // examples/policy.yaml: role worker -> mid (claude-sonnet-4-5), by the static role rule
            assertThat(routed.exitCode()).as("consume_routed.py: %s", routed.output()).isZero();
            assertThat(routed.output()).contains("routed " + taskId + " to mid claude-sonnet-4-5 by STATIC_RULE - role=worker");
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
        // the scripts print a line or a traceback: read it all, then wait
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeout + ": " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
