package dev.tierflow.local;

import dev.tierflow.local.dashboard.DashboardData;
import dev.tierflow.local.dashboard.Snapshot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard model's snapshot once no new statistics have come for a few seconds: with no more spans
 * coming, no more windows fire, so the snapshot covers everything on the stats topic.
 */
final class SettledStats {

    private static final Duration QUIET = Duration.ofSeconds(8);
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    private SettledStats() {
    }

    static Snapshot await(DashboardData data) throws InterruptedException {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        Snapshot last = data.snapshot();
        CountDownLatch never = new CountDownLatch(1);
        while (System.nanoTime() < deadline) {
            never.await(QUIET.toMillis(), TimeUnit.MILLISECONDS);
            Snapshot next = data.snapshot();
            if (next.recordsRead().stats() == last.recordsRead().stats()) {
                return next;
            }
            last = next;
        }
        return last;
    }
}
