package dev.tierflow.worker.backend;

/**
 * A model's answer and what it cost.
 *
 * @param text the output text
 * @param model the model that answered (a fallback model, if one was used)
 * @param provider the provider that served it
 * @param fallbackFrom the tier's primary model when a fallback answered, else null
 * @param finishReason why generation stopped; {@link FinishReason#LENGTH} means the budget ran out
 * @param quality a quality score in [0,1] when the backend knows one (simulator, replay), else null
 * @param recordedCostMicros the cost in micro-dollars when the backend knows it exactly (a replay of recorded
 *                           costs), else null and the worker prices the tokens with the price catalog
 * @param latencyMs wall time of the call as the backend measured or simulated it
 */
public record ModelResponse(String text, String model, String provider, String fallbackFrom, long inputTokens,
                            long outputTokens, long cachedInputTokens, FinishReason finishReason, Double quality,
                            Long recordedCostMicros, long latencyMs) {
}
