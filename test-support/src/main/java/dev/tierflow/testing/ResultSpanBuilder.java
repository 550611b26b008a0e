package dev.tierflow.testing;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import java.time.Duration;
import java.time.Instant;

/** Result spans for tests, with readable defaults: an OK span of the first attempt (0) on the small tier. */
public final class ResultSpanBuilder {

    private final ResultSpan.Builder span;
    private Instant endedAt = TestInstants.BEGINNING.plusSeconds(2);
    private Duration latency = Duration.ofMillis(800);

    private ResultSpanBuilder(String taskId) {
        span = ResultSpan.newBuilder()
                .setTaskId(taskId).setRunId("run-1").setSpanId(taskId + "#0").setAttempt(0)
                .setRole("worker").setTaskType("extract").setTenant("acme").setTier("small")
                .setModel("small-model").setProvider("simulator").setFallbackFrom(null)
                .setMaxOutputTokens(512).setInputTokens(1_000).setOutputTokens(200).setCachedInputTokens(0)
                .setCostMicros(300).setStatus(SpanStatus.OK).setQuality(0.9).setCheckPassed(true)
                .setCheckDetail(null).setEscalated(false);
    }

    public static ResultSpanBuilder span(String taskId) {
        return new ResultSpanBuilder(taskId);
    }

    public ResultSpanBuilder attempt(int attempt) {
        span.setAttempt(attempt).setSpanId(span.getTaskId() + "#" + attempt);
        return this;
    }

    public ResultSpanBuilder run(String runId) {
        span.setRunId(runId);
        return this;
    }

    /** The role, type and tenant the worker copied from the task. */
    public ResultSpanBuilder of(String role, String taskType, String tenant) {
        span.setRole(role).setTaskType(taskType).setTenant(tenant);
        return this;
    }

    public ResultSpanBuilder tier(String tier, String model) {
        span.setTier(tier).setModel(model);
        return this;
    }

    public ResultSpanBuilder tokens(long input, long output) {
        span.setInputTokens(input).setOutputTokens(output);
        return this;
    }

    public ResultSpanBuilder cachedInputTokens(long cached) {
        span.setCachedInputTokens(cached);
        return this;
    }

    public ResultSpanBuilder cost(long micros) {
        span.setCostMicros(micros);
        return this;
    }

    public ResultSpanBuilder quality(Double quality) {
        span.setQuality(quality);
        return this;
    }

    public ResultSpanBuilder checkPassed(Boolean passed) {
        span.setCheckPassed(passed);
        if (Boolean.FALSE.equals(passed)) {
            span.setStatus(SpanStatus.CHECK_FAILED);
        }
        return this;
    }

    public ResultSpanBuilder status(SpanStatus status) {
        span.setStatus(status);
        return this;
    }

    public ResultSpanBuilder escalated(boolean escalated) {
        span.setEscalated(escalated);
        return this;
    }

    public ResultSpanBuilder latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    public ResultSpanBuilder endedAt(Instant endedAt) {
        this.endedAt = endedAt;
        return this;
    }

    public ResultSpan build() {
        return span.setEndedAt(endedAt).setStartedAt(endedAt.minus(latency)).setLatencyMs(latency.toMillis()).build();
    }
}
