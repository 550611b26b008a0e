package dev.tierflow.local;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Ctrl-C and SIGTERM as a latch the stack's commands wait on; closing it removes the JVM hook again. */
final class StopSignal implements AutoCloseable {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;

    StopSignal(String name) {
        hook = new Thread(stopped::countDown, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits until stopped, or for {@code duration} when one is given. */
    void await(Duration duration) throws InterruptedException {
        if (duration == null) {
            stopped.await();
        } else {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** @return true when stopped within {@code nanos} */
    boolean awaitNanos(long nanos) throws InterruptedException {
        return stopped.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook has run
        }
    }
}
