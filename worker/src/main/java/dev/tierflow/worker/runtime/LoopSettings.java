package dev.tierflow.worker.runtime;

import java.time.Duration;

/**
 * How a {@link TierWorker}'s loop paces itself.
 *
 * @param concurrency    model calls running at once
 * @param maxPending     records of one partition fetched but not yet committed before the partition is paused
 *                       (twice that over all partitions); bounds memory and what a crash makes the next owner redo
 * @param commitInterval the longest a finished result waits for its transaction (sooner when nothing is in flight);
 *                       the loop polls all the while, so a slow call never holds back {@code max.poll.interval.ms}
 * @param callTimeout    a call still running after this is given up: its task gets an ERROR span and is committed
 * @param shutdownGrace  on close, how long the loop waits for calls in flight to finish and commit before leaving
 */
public record LoopSettings(int concurrency, int maxPending, Duration commitInterval, Duration callTimeout, Duration shutdownGrace) {

    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public LoopSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
        }
        requirePositive("commitInterval", commitInterval);
        requirePositive("callTimeout", callTimeout);
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, was " + shutdownGrace);
        }
    }

    /** {@code concurrency} calls at once, four times that pending per partition, the default intervals. */
    public static LoopSettings defaults(int concurrency) {
        return new LoopSettings(concurrency, concurrency * 4, DEFAULT_COMMIT_INTERVAL, DEFAULT_CALL_TIMEOUT, DEFAULT_SHUTDOWN_GRACE);
    }

    public LoopSettings withCommitInterval(Duration interval) {
        return new LoopSettings(concurrency, maxPending, interval, callTimeout, shutdownGrace);
    }

    public LoopSettings withCallTimeout(Duration timeout) {
        return new LoopSettings(concurrency, maxPending, commitInterval, timeout, shutdownGrace);
    }

    public LoopSettings withShutdownGrace(Duration grace) {
        return new LoopSettings(concurrency, maxPending, commitInterval, callTimeout, grace);
    }

    public LoopSettings withMaxPending(int pending) {
        return new LoopSettings(concurrency, pending, commitInterval, callTimeout, shutdownGrace);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
