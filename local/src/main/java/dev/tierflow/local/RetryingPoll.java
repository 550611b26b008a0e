package dev.tierflow.local;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of a follower (the dashboard's feed) that survives registry outages: records are handed on in
 * order; when one cannot be decoded because the registry is down, it and every record after it in the batch
 * are sought back to, so the next poll returns them again, and the caller waits a backoff (doubling up to a
 * cap, reset by a success). The feed commits nothing, so nothing is ever read past.
 */
public final class RetryingPoll {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingPoll.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** Waits between attempts; a test records instead of waiting. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final Consumer<ConsumerRecord<byte[], byte[]>> sink;
    private final Sleeper sleeper;
    private Duration backoff = FIRST_BACKOFF;
    private volatile RegistryUnavailableException outage;

    public RetryingPoll(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, Consumer<ConsumerRecord<byte[], byte[]>> sink,
                        Sleeper sleeper) {
        this.consumer = consumer;
        this.sink = sink;
        this.sleeper = sleeper;
    }

    /** Polls once and hands on what it can; after an outage, waits the backoff before returning. */
    public void pollOnce(Duration timeout) throws InterruptedException {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(timeout);
        RegistryUnavailableException failed = null;
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(partition);
            if (failed != null) {
                consumer.seek(partition, records.get(0).offset());
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                try {
                    sink.accept(record);
                } catch (RegistryUnavailableException e) {
                    failed = e;
                    consumer.seek(partition, record.offset());
                    break;
                }
            }
        }
        if (failed == null) {
            if (outage != null) {
                LOG.info("The schema registry is reachable again: reading on");
            }
            outage = null;
            backoff = FIRST_BACKOFF;
            return;
        }
        if (outage == null) {
            LOG.warn("{}; reading it again every {} up to {} until it is back", failed.getMessage(), FIRST_BACKOFF, MAX_BACKOFF);
        }
        outage = failed;
        sleeper.sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }

    /** The outage the last poll ran into, or null while the registry answers. */
    public RegistryUnavailableException outage() {
        return outage;
    }

    Duration nextBackoff() {
        return backoff;
    }
}
