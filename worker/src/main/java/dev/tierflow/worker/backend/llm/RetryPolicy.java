package dev.tierflow.worker.backend.llm;

import java.time.Duration;

/**
 * When and how long to wait before trying a failed call again.
 *
 * <p>The wait before retry {@code n} (1 for the first retry) is {@code min(maxDelay, baseDelay * 2^(n-1))}, shortened
 * by a random fraction of at most {@code jitter} so that many calls failing together do not come back together. A
 * {@code retry-after} from the provider replaces it, exactly, unless it asks for more than {@code maxDelay}.
 *
 * @param maxRetries retries after the first attempt (attempts = maxRetries + 1)
 * @param jitter the largest fraction taken off a backoff wait, in [0, 1); 0 for exact waits
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, double jitter) {

    public static final double DEFAULT_JITTER = 0.2;

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
        }
        if (baseDelay == null || baseDelay.isNegative() || maxDelay == null || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay, was " + baseDelay + " and " + maxDelay);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
    }

    public static RetryPolicy from(LlmBackendSettings settings) {
        return new RetryPolicy(settings.maxRetries(), settings.baseDelay(), settings.maxDelay(), DEFAULT_JITTER);
    }

    public int maxAttempts() {
        return maxRetries + 1;
    }

    /**
     * The backoff before retry {@code retry} (1-based).
     *
     * @param random a draw in [0, 1) deciding how much jitter is taken off
     */
    public Duration backoff(int retry, double random) {
        Duration delay = maxDelay;
        int doublings = retry - 1;
        if (doublings < 62) {
            long factor = 1L << doublings;
            if (baseDelay.toNanos() <= maxDelay.toNanos() / factor) {
                delay = baseDelay.multipliedBy(factor);
            }
        }
        long off = (long) (delay.toNanos() * jitter * random);
        return delay.minusNanos(off);
    }
}
