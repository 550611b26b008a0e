package dev.tierflow.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.tierflow.testing.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules in {@code deploy/prometheus} are valid ({@code promtool check rules}) and
 * fire when, and only when, their unit tests say ({@code promtool test rules}). Skipped where promtool
 * is not installed, except under {@code CI=true}, where that fails.
 */
class PrometheusRulesTest {

    private static final Path DIR = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
    private static final Path RULES = DIR.resolve("tierflow-alerts.yml");
    private static final Path RULE_TESTS = DIR.resolve("tierflow-alerts.test.yml");

    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        // apt-get install prometheus; skipped without it on a developer's machine, failed under CI=true
        promtool = RequiredTool.assumeOrFail("promtool");
    }

    @Test
    void theRulesAreValid() throws Exception {
        assertThat(RULES).as("the rules file (tests run from the module directory)").isRegularFile();

        assertPromtoolSucceeds("check", "rules", RULES.toString());
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        assertThat(RULE_TESTS).as("the rules' unit tests (tests run from the module directory)").isRegularFile();

        String output = assertPromtoolSucceeds("test", "rules", RULE_TESTS.toString());
        assertThat(output).contains("SUCCESS");
    }

    private static String assertPromtoolSucceeds(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        // the output is small; read it all before waiting, so the pipe never fills
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = process.waitFor(2, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("%s did not finish within 2 minutes; its output:%n%s", String.join(" ", command), output).isTrue();
        assertThat(process.exitValue()).as("exit code of %s; its output:%n%s", String.join(" ", command), output).isZero();
        return output;
    }
}
