package dev.tierflow.worker.backend.llm;

import dev.langchain4j.exception.HttpException;

/**
 * A non-2xx answer, with the headers LangChain4j's own {@link HttpException} drops: the ones saying when to retry.
 * It is an {@code HttpException} without a cause, so LangChain4j's exception mapping still sees it as the root cause
 * and turns it into its usual {@code RateLimitException}, {@code InternalServerException}... around it.
 */
final class ProviderHttpException extends HttpException {

    private final String retryAfter;
    private final String retryAfterMs;

    ProviderHttpException(int statusCode, String body, String retryAfter, String retryAfterMs) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
        this.retryAfterMs = retryAfterMs;
    }

    /** The {@code retry-after} header, or null. */
    String retryAfter() {
        return retryAfter;
    }

    /** The {@code retry-after-ms} header, or null. */
    String retryAfterMs() {
        return retryAfterMs;
    }
}
