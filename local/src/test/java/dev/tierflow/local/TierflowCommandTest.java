package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TierflowCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = TierflowCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8));
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

        assertThat(run("alerting", "--policy", unarmed.toString())).isEqualTo(1);

        assertThat(err.toString()).contains("alerting.qualityFloors: at least one quality floor is required")
                .contains("alerting.costCeilings: at least one cost ceiling is required").doesNotContain("\tat ");
    }
}
