package dev.tierflow.worker.replay;

/**
 * What one model did on one prompt, as recorded. Absent values are null.
 *
 * @param score the recorded score as written (RouterBench: 0/1 or in [0,1]); the backend clamps it to [0,1]
 * @param costMicros the recorded cost in micro-dollars: USD x 1,000,000 rounded half-even to a whole number
 * @param response the model's recorded output text
 */
public record RecordedOutcome(String model, Double score, Long costMicros, Long inputTokens, Long outputTokens,
                              String response, Long latencyMs) {
}
