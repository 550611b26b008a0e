package dev.tierflow.local.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.router.decision.TaskValidator;
import dev.tierflow.schemas.AgentTask;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskLinesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String MINIMAL = "{\"taskId\":\"t1\",\"runId\":\"r1\",\"tenant\":\"acme\",\"role\":\"worker\",\"taskType\":\"extract\"}";

    private static TaskLines.Result parse(String... lines) {
        return TaskLines.parse(List.of(lines), NOW, TaskValidator::validateFields);
    }

    @Test
    void aMinimalLineGetsTheSchemaDefaultsAndCreatedAtNow() {
        TaskLines.Result result = parse(MINIMAL);

        assertThat(result.problems()).isEmpty();
        AgentTask task = result.tasks().get(0);
        assertThat(task.getTaskId()).isEqualTo("t1");
        assertThat(task.getAttempt()).isZero();
        assertThat(task.getInputTokens()).isZero();
        assertThat(task.getAttributes()).isEmpty();
        assertThat(task.getCreatedAt()).isEqualTo(NOW);
        assertThat(task.getOutputContract()).isNull();
    }

    @Test
    void everyFieldIsReadFromPlainJsonValues() {
        TaskLines.Result result = parse("""
                {"taskId":"t2","runId":"r1","parentTaskId":"t1","tenant":"acme","role":"worker","taskType":"extract",\
                "inputText":"Extract the number.","inputRef":"s3://b/k","inputTokens":120,"requestedMaxOutputTokens":300,\
                "outputContract":{"jsonSchema":"{}","requiredFields":["number"],"regex":".*","maxLength":500},\
                "attempt":1,"escalatedFromTier":"small","createdAt":"2026-11-23T09:00:00Z","attributes":{"tierflow.hint":"mechanical"}}""");

        assertThat(result.problems()).isEmpty();
        AgentTask task = result.tasks().get(0);
        assertThat(task.getParentTaskId()).isEqualTo("t1");
        assertThat(task.getInputRef()).isEqualTo("s3://b/k");
        assertThat(task.getInputTokens()).isEqualTo(120);
        assertThat(task.getRequestedMaxOutputTokens()).isEqualTo(300);
        assertThat(task.getOutputContract().getRequiredFields()).containsExactly("number");
        assertThat(task.getOutputContract().getMaxLength()).isEqualTo(500);
        assertThat(task.getAttempt()).isEqualTo(1);
        assertThat(task.getEscalatedFromTier()).isEqualTo("small");
        assertThat(task.getCreatedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:00Z"));
        assertThat(task.getAttributes()).containsEntry("tierflow.hint", "mechanical");
    }

    @Test
    void createdAtMayBeEpochMillis() {
        TaskLines.Result result = parse(MINIMAL.replace("}", ",\"createdAt\":1795428000000}"));

        assertThat(result.tasks().get(0).getCreatedAt()).isEqualTo(Instant.ofEpochMilli(1795428000000L));
    }

    @Test
    void blankLinesAreSkippedButCounted() {
        TaskLines.Result result = parse("", MINIMAL, "   ", MINIMAL.replace("t1", "t2"), "{\"taskId\":\"t3\"}");

        assertThat(result.problems()).containsExactly("line 5: runId is missing or empty");
    }

    @Test
    void everyBadLineIsReportedWithItsNumberAndNothingIsKept() {
        TaskLines.Result result = parse(
                MINIMAL,
                "{not json",
                MINIMAL.replace("\"taskId\":\"t1\"", "\"taskId\":\"\""),
                MINIMAL.replace("}", ",\"attempt\":\"one\",\"colour\":\"red\"}"),
                MINIMAL.replace("}", ",\"createdAt\":\"yesterday\"}"),
                MINIMAL.replace("}", ",\"inputTokens\":-5}"),
                MINIMAL.replace("}", ",\"outputContract\":{\"maxLength\":0}}"),
                MINIMAL.replace("}", ",\"outputContract\":{\"pattern\":\"x\"}}"),
                "[1,2]");

        assertThat(result.tasks()).isEmpty();
        assertThat(result.problems()).hasSize(9).satisfiesExactly(
                p -> assertThat(p).startsWith("line 2: not valid JSON"),
                p -> assertThat(p).isEqualTo("line 3: taskId is missing or empty"),
                p -> assertThat(p).isEqualTo("line 4: attempt must be an integer, was \"one\""),
                p -> assertThat(p).startsWith("line 4: unknown field 'colour' (AgentTask has taskId, runId"),
                p -> assertThat(p).startsWith("line 5: createdAt must be ISO-8601"),
                p -> assertThat(p).isEqualTo("line 6: inputTokens must not be negative, was -5"),
                p -> assertThat(p).isEqualTo("line 7: outputContract.maxLength must be positive when set, was 0"),
                p -> assertThat(p).startsWith("line 8: unknown field 'outputContract.pattern' (OutputContract has jsonSchema"),
                p -> assertThat(p).isEqualTo("line 9: expected a JSON object, got array"));
    }
}
