package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TierflowCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return runWithInput("", args);
    }

    private int runWithInput(String stdin, String... args) {
        CommandLine command = TierflowCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC());
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void policyValidateDescribesAValidFile() {
        assertThat(run("policy", "validate", "../examples/policy.yaml")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("policy 2026-11-23.2 is valid")
                .contains("role planner -> frontier")
                .contains("pin acme-health-eu -> mid / claude-sonnet-4-5-eu");
    }

    @Test
    void policyValidateNamesEveryProblemWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: v\ntiers: [{name: small, model: s, provider: p}]\ndefaultTier: huge\nroles: {planner: gigantic}\n");

        assertThat(run("policy", "validate", bad.toString())).isEqualTo(1);

        assertThat(err.toString())
                .contains("defaultTier: unknown tier 'huge' (tiers are small)")
                .contains("roles.planner: unknown tier 'gigantic' (tiers are small)")
                .doesNotContain("\tat ");
    }

    @Test
    void demoBindsTheDashboardToLoopbackWithoutATokenUnlessTold() {
        DemoCommand defaults = new DemoCommand(new PrintStream(out));
        new CommandLine(defaults).parseArgs();
        DemoCommand told = new DemoCommand(new PrintStream(out));
        new CommandLine(told).parseArgs("--dashboard-host", "0.0.0.0", "--dashboard-token", "t0ken");

        assertThat(defaults.dashboardHost).isEqualTo("127.0.0.1");
        assertThat(told.dashboardHost).isEqualTo("0.0.0.0");
        assertThat(told.dashboardToken).isEqualTo("t0ken");
    }

    @Test
    void theLocalFlinkClusterServesItsRestApiOnLoopback() {
        var flink = Pipeline.flinkConfiguration();

        assertThat(flink.get(org.apache.flink.configuration.RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    }

    @Test
    void schemasRegisterNeedsAReachableRegistryAndSaysSo() {
        // a port nothing listens on: the command fails with the reason, not a stack trace
        assertThat(run("schemas", "register", "--registry-url", "http://127.0.0.1:9/apis/registry/v3",
                "--policy", "../examples/policy.yaml", "--timeout", "PT2S")).isEqualTo(1);

        assertThat(err.toString()).contains("error: ").doesNotContain("\tat ");
    }

    @Test
    void routerIsASubcommand() {
        assertThat(run("router", "--policy", "../examples/policy.yaml", "--validate-only")).isZero();
    }

    @Test
    void attributionIsASubcommandThatRefusesAMissingPolicyBeforeStartingFlink() {
        assertThat(run("attribution", "--policy", "no-such-policy.yaml", "--prices", "../examples/prices.yaml")).isEqualTo(1);

        assertThat(err.toString()).contains("no-such-policy.yaml").doesNotContain("\tat ");
    }

    @Test
    void alertingRefusesAPolicyWithoutBothAxesArmed(@TempDir Path dir) throws Exception {
        Path unarmed = dir.resolve("unarmed.yaml");
        Files.writeString(unarmed, "version: v\ntiers: [{name: small, model: s, provider: p}]\ndefaultTier: small\n");

        assertThat(run("alerting", "--policy", unarmed.toString(), "--prices", "../examples/prices.yaml")).isEqualTo(1);

        assertThat(err.toString()).contains("alerting.qualityFloors: at least one quality floor is required")
                .contains("alerting.costCeilings: at least one cost ceiling is required").doesNotContain("\tat ");
    }

    @Test
    void policyDiffExitsZeroOnIdenticalFiles() {
        assertThat(run("policy", "diff", "../examples/policy.yaml", "../examples/policy.yaml")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("no differences" + System.lineSeparator());
    }

    @Test
    void policyDiffExitsOneAndPrintsTheChangesBySection(@TempDir Path dir) throws Exception {
        Path changed = dir.resolve("policy.yaml");
        Files.writeString(changed, Files.readString(Path.of("../examples/policy.yaml")).replace("  worker: mid", "  worker: frontier"));

        assertThat(run("policy", "diff", "../examples/policy.yaml", changed.toString())).isEqualTo(1);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("routing rules" + System.lineSeparator()
                + "  ~ roles.worker: mid -> frontier" + System.lineSeparator());
    }

    @Test
    void policyDiffExitsTwoOnAnInvalidFile(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: v\ntiers: [{name: small, model: s, provider: p}]\ndefaultTier: huge\n");

        assertThat(run("policy", "diff", "../examples/policy.yaml", bad.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("defaultTier: unknown tier 'huge'").doesNotContain("\tat ");
    }

    @Test
    void policyShowOfflineShowsTheFileRules() {
        assertThat(run("policy", "show", "--offline", "--prices", "../examples/prices.yaml", "../examples/policy.yaml")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(offline: live overrides not read)")
                .containsPattern("Scope role=planner\\R.*\\R\\s+STATIC_RULE\\s+role=planner\\s+FILE\\s+frontier.*WINS");
    }

    @Test
    void produceRefusesAFileWithBadLinesNamingEachAndProducesNothing(@TempDir Path dir) throws Exception {
        Path tasks = dir.resolve("tasks.jsonl");
        Files.writeString(tasks, "{\"taskId\":\"t1\",\"runId\":\"r1\",\"tenant\":\"a\",\"role\":\"worker\",\"taskType\":\"x\"}\n"
                + "\n{\"taskId\":\"t2\"}\n{\"taskId\":\"t3\",\"runId\":\"r1\",\"tenant\":\"a\",\"role\":\"worker\",\"taskType\":\"x\",\"attempt\":5}\n");

        // no broker at this address: the command must fail on the file before it tries to connect
        assertThat(run("produce", "--bootstrap-servers", "localhost:1", "--policy", "../examples/policy.yaml", tasks.toString())).isEqualTo(1);

        assertThat(err.toString()).contains("line 3: runId is missing or empty")
                .contains("line 4: attempt 5 exceeds the policy's maxAttempts 3")
                .contains("nothing produced: 2 problem(s)");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void produceReadsStdinForADash() {
        assertThat(runWithInput("\n{\"taskId\":\"t1\",\"runId\":\"r1\",\"tenant\":\"a\",\"role\":\"worker\",\"taskType\":\"x\",\"inputTokens\":\"many\"}\n",
                "produce", "--bootstrap-servers", "localhost:1", "-")).isEqualTo(1);

        assertThat(err.toString()).contains("line 2: inputTokens must be an integer, was \"many\"").contains("nothing produced: 1 problem(s) in -");
    }

    @Test
    void statusFailsFastWithOneLineWhenTheBrokerIsUnreachable() {
        long started = System.nanoTime();

        assertThat(run("status", "--bootstrap-servers", "localhost:1", "--timeout", "PT2S")).isEqualTo(1);

        assertThat(err.toString().strip()).startsWith("error: the Kafka broker at localhost:1 is not reachable").doesNotContain("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }
}
