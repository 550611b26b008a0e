package dev.tierflow.worker.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The fetched, not yet committed records of one assigned partition, in offset order. Only a finished
 * prefix is ever committed (its results and the offset after its last record), so a record still in
 * flight holds back the commit of the records after it, never the other way round: whatever is committed
 * is done, whatever is not is redone by the partition's next owner.
 */
final class PartitionProgress {

    final TopicPartition partition;
    private final Deque<PendingRecord> pending = new ArrayDeque<>();
    /** Not fetched again before this instant (a registry outage while decoding); null when free. */
    private Instant retryAt;
    private int outages;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    void add(PendingRecord record) {
        pending.addLast(record);
    }

    int size() {
        return pending.size();
    }

    Iterable<PendingRecord> records() {
        return pending;
    }

    /** The records from the oldest up to (not including) the first unfinished one. */
    List<PendingRecord> finishedPrefix() {
        List<PendingRecord> prefix = new ArrayList<>();
        for (PendingRecord record : pending) {
            if (!record.finished()) {
                break;
            }
            prefix.add(record);
        }
        return prefix;
    }

    boolean allFinished() {
        return pending.stream().allMatch(PendingRecord::finished);
    }

    /** Drops the first {@code count} records once their transaction committed. */
    void committed(int count) {
        for (int i = 0; i < count; i++) {
            pending.removeFirst();
        }
    }

    /** The partition is given up: stops what still runs; its next owner redoes what was not committed. */
    void abandon() {
        pending.forEach(PendingRecord::cancel);
        pending.clear();
    }

    /** The registry could not be reached while decoding: back off, doubling from 1 s up to 30 s. */
    void backOff(Instant now) {
        long seconds = Math.min(30, 1L << Math.min(outages, 5));
        outages++;
        retryAt = now.plusSeconds(seconds);
    }

    void decoded() {
        outages = 0;
    }

    boolean fetchable(Instant now) {
        if (retryAt != null && now.isBefore(retryAt)) {
            return false;
        }
        retryAt = null;
        return true;
    }
}
