package dev.tierflow.worker.otel;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import java.time.Instant;

/** Result spans with every field set, for the export tests. */
final class ResultSpans {

    static final Instant STARTED = Instant.parse("2026-03-01T10:15:30.123Z");
    static final Instant ENDED = Instant.parse("2026-03-01T10:15:31.945Z");

    private ResultSpans() {
    }

    static ResultSpan.Builder ok(String taskId, String runId) {
        return ResultSpan.newBuilder()
                .setTaskId(taskId).setRunId(runId).setSpanId(taskId + "#1").setAttempt(1)
                .setRole("extractor").setTaskType("extraction").setTenant("acme").setTier("mid")
                .setModel("claude-sonnet-4-5").setProvider("anthropic").setFallbackFrom(null)
                .setMaxOutputTokens(800).setInputTokens(1_234).setOutputTokens(567).setCachedInputTokens(1_000)
                .setCostMicros(12_207).setLatencyMs(1_822).setStatus(SpanStatus.OK)
                .setQuality(0.875).setCheckPassed(true).setCheckDetail(null).setEscalated(false)
                .setStartedAt(STARTED).setEndedAt(ENDED);
    }

    /** A provider failure after the fallback model also failed: no usage, no quality, no check. */
    static ResultSpan.Builder error(String taskId, String runId) {
        return ok(taskId, runId).setAttempt(0).setSpanId(taskId + "#0").setTier("small")
                .setModel("gpt-4o-mini").setProvider("openai").setFallbackFrom("llama-3.1-8b")
                .setMaxOutputTokens(256).setInputTokens(0).setOutputTokens(0).setCachedInputTokens(0)
                .setCostMicros(0).setStatus(SpanStatus.ERROR).setQuality(null).setCheckPassed(null)
                .setCheckDetail("PROVIDER_ERROR: 503 from https://api.example/v1/chat/completions").setEscalated(true);
    }
}
