package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.RoutedTask;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One fetched record of a partition, from fetch to commit: either dead-lettered at once, or a routed task
 * whose call runs on the worker's pool. Its outcome is set once, by whoever comes first: the call, or the
 * polling thread giving up on it after the call timeout.
 */
final class PendingRecord {

    final long offset;
    final RoutedTask routed;
    final WorkerDeadLetter deadLetter;
    /** The original bytes, kept so that a result that cannot be encoded still reaches the dead letters. */
    final byte[] key;
    final byte[] value;
    private final AtomicReference<AttemptOutcome> outcome = new AtomicReference<>();
    private volatile Instant callStarted;
    private volatile Throwable fatal;
    private Future<?> call;

    private PendingRecord(long offset, RoutedTask routed, WorkerDeadLetter deadLetter, byte[] key, byte[] value) {
        this.offset = offset;
        this.routed = routed;
        this.deadLetter = deadLetter;
        this.key = key;
        this.value = value;
    }

    static PendingRecord deadLetter(WorkerDeadLetter letter) {
        return new PendingRecord(letter.offset(), null, letter, letter.key(), letter.value());
    }

    static PendingRecord attempt(long offset, RoutedTask routed, byte[] key, byte[] value) {
        return new PendingRecord(offset, routed, null, key, value);
    }

    boolean finished() {
        return deadLetter != null || outcome.get() != null;
    }

    AttemptOutcome outcome() {
        return outcome.get();
    }

    /** @return whether this was the first outcome (a late answer after a time-out is dropped) */
    boolean finish(AttemptOutcome result) {
        return outcome.compareAndSet(null, result);
    }

    void callStarted(Instant at) {
        callStarted = at;
    }

    /** When the call began on the pool, or null while it waits for a thread. */
    Instant callStartedAt() {
        return callStarted;
    }

    /** An error the worker must not survive (e.g. out of memory) ended the call. */
    void failFatally(Throwable error) {
        fatal = error;
    }

    Throwable fatal() {
        return fatal;
    }

    void call(Future<?> running) {
        call = running;
    }

    /** Waits up to {@code timeout} for the call to end (however it ends). */
    void awaitCall(Duration timeout) {
        if (call == null || timeout.isNegative() || timeout.isZero()) {
            return;
        }
        try {
            call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // ended otherwise, or not in time: the caller looks at finished()
        }
    }

    /** Stops the call if it still runs: its result will not be used. */
    void cancel() {
        if (call != null) {
            call.cancel(true);
        }
    }
}
