package dev.tierflow.attribution.otlp;

/**
 * A GenAI span that could not become a {@code ResultSpan}, e.g. a model without a price.
 *
 * @param traceId the OTLP trace id, lower-case hex
 * @param spanId the OTLP span id, lower-case hex
 * @param reason why, in words
 */
public record OtlpRejectedSpan(String traceId, String spanId, String reason) {
}
