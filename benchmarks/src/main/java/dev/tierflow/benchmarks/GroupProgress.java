package dev.tierflow.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Times a child app from outside by polling its group's committed offsets on one input topic (committed in the
 * output transaction): from the first progress seen to the last offset, so start-up and group join are not measured.
 */
final class GroupProgress {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final Admin admin;
    private final String topic;
    private final Duration timeout;

    GroupProgress(Admin admin, String topic, Duration timeout) {
        this.admin = admin;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Polls until {@code group} has committed {@code target} offsets; the child's peak RSS is read at the end. */
    Measurement measure(ChildApp child, String group, long target) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstSeenAt = -1;
        long committedAtFirst = 0;
        long childCpuAtFirst = 0;
        long benchCpuAtFirst = 0;
        while (true) {
            if (!child.isAlive()) {
                throw new IllegalStateException(child.label() + " exited with code " + child.exitValue() + " before finishing. "
                        + child.logTail());
            }
            long committed = committedOffsets(group);
            long now = System.nanoTime();
            if (firstSeenAt < 0 && committed > 0) {
                firstSeenAt = now;
                committedAtFirst = committed;
                childCpuAtFirst = child.cpuTicks();
                benchCpuAtFirst = ProcStats.cpuTicks(ProcessHandle.current().pid());
            }
            if (committed >= target) {
                if (committedAtFirst >= target) {
                    throw new IllegalStateException(child.label() + " finished before its first progress was seen; use more --records");
                }
                long childCpu = child.cpuTicks() - childCpuAtFirst;
                long benchCpu = ProcStats.cpuTicks(ProcessHandle.current().pid()) - benchCpuAtFirst;
                long peakRssKb = child.peakRssKb();
                double seconds = (now - firstSeenAt) / 1e9;
                return new Measurement(target - committedAtFirst, seconds,
                        childCpu / (double) ProcStats.CLOCK_TICKS_PER_SECOND / seconds,
                        benchCpu / (double) ProcStats.CLOCK_TICKS_PER_SECOND / seconds, peakRssKb);
            }
            if (now > deadline) {
                throw new IllegalStateException(child.label() + " committed " + committed + " of " + target + " offsets in "
                        + timeout.toSeconds() + " s. " + child.logTail());
            }
            // Waiting on the child (not sleeping) notices at once if it dies.
            child.waitFor(POLL_INTERVAL);
        }
    }

    /** Sum of {@code group}'s committed offsets on the topic. */
    long committedOffsets(String group) throws InterruptedException, ExecutionException {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (TimeoutException e) {
            throw new IllegalStateException("listing the offsets of " + group + " took more than 10 s", e);
        }
    }
}
