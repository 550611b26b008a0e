package dev.tierflow.worker.backend.llm;

import java.time.Duration;

/** Waits between two attempts. Injected so tests see every wait without waiting. */
@FunctionalInterface
public interface Sleeper {

    /** Really waits; interruptible, so a worker shutting down is not held up by a backoff. */
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
