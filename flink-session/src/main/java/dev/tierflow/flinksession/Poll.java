package dev.tierflow.flinksession;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline. The main code cannot use Awaitility (a test dependency), and
 * every wait on a child process needs an upper bound, or a broken cluster hangs the build.
 */
final class Poll {

    private Poll() {
    }

    /**
     * Calls {@code probe} every {@code interval} until it returns a value, then returns it; after
     * {@code timeout} throws {@link IllegalStateException} with {@code onTimeout}'s description.
     * A probe may throw to abort the wait early (for example when a child process died).
     */
    static <T> T until(Duration timeout, Duration interval, Supplier<Optional<T>> probe, Supplier<String> onTimeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms: " + onTimeout.get());
            }
            try {
                Thread.sleep(Math.min(interval.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting: " + onTimeout.get(), e);
            }
        }
    }
}
