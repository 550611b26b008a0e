package dev.tierflow.worker.simulator;

import java.util.concurrent.TimeUnit;

/** Waits out a simulated latency. Injected so tests can see the wait without waiting. */
@FunctionalInterface
interface Pause {

    /** Really waits; interruptible, so a worker shutting down is not held up by a simulated call. */
    Pause REAL = TimeUnit.MILLISECONDS::sleep;

    void forMillis(long millis) throws InterruptedException;
}
