package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.embedded.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start: {@code tierflow up --sample} brings up the embedded stack, routes the sample run, and its
 * simulated workers answer every routed task with priced spans.
 */
class TierflowUpIT {

    @TempDir
    Path data;

    @Test
    void upWithSampleRoutesEverySampleTaskAndStopsCleanly() {
        int[] ports = Ports.freePorts(5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = TierflowCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8)).execute("up", "--sample",
                "--duration", "PT1S", "--policy", "../examples/policy.yaml", "--prices", "../examples/prices.yaml", "--data-dir", data.toString(),
                "--kafka-port", String.valueOf(ports[0]), "--registry-port", String.valueOf(ports[2]), "--metrics-port", String.valueOf(ports[4]));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed)
                .contains("TierFlow is up.")
                // every contract subject is there for Confluent clients before the first record
                .containsPattern("tasks-value +-> \\d+")
                .containsPattern("tasks\\.frontier-value +-> \\d+")
                .containsPattern("results\\.small-value +-> \\d+")
                .containsPattern("stats\\.role-value +-> \\d+")
                .containsPattern("acme/planner/plan \\(3000 tokens\\) +-> frontier +claude-opus-4-6 +4096 tok +STATIC_RULE")
                .containsPattern("acme-health/worker/extract \\(800 tokens\\) +-> mid +claude-sonnet-4-5-eu .*PIN \\(pin acme-health-eu\\)")
                .containsPattern("failed on mid\\) +-> frontier .*ESCALATION")
                .containsPattern("acme/researcher/read \\(45000 tokens\\) +-> frontier .*CLASSIFIER \\(inputTokens>=32000\\)")
                .contains("-> DLQ  INVALID_FIELD: inputTokens must not be negative, was -1")
                .contains("bytes that are not a task                  -> DLQ  UNDECODABLE")
                .doesNotContain("(not seen yet)")
                .contains("What the workers did (one span per attempt)")
                // The sample's ids change with the clock, so the simulator's draws do too: an answer may run
                // out of budget, and a checked task may fail on mid and be escalated (one more span).
                .containsPattern("-plan +attempt 0  frontier claude-opus-4-6 +(OK|BUDGET_EXHAUSTED) ")
                .containsPattern("-extract-retry +attempt 1  frontier ")
                .containsPattern("total: 1[0-9] spans, [0-9,]+ µ\\$")
                .endsWith("Stopped." + System.lineSeparator());
    }
}
