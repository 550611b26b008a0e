package dev.tierflow.local.dashboard;

import dev.tierflow.local.RegistryUnavailableException;
import dev.tierflow.local.ReportConsumers;
import dev.tierflow.local.RetryingPoll;
import dev.tierflow.local.TopicRecords;
import dev.tierflow.schemas.AvroSerdes;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code stats.role}, {@code alerts} and {@code policy} from their start, committed records only
 * (the Flink jobs write them in transactions), on one thread, and hands each decoded record to the
 * {@link DashboardData} through {@link TopicRecords}, which skips a record it cannot decode. A record it
 * cannot decode because the registry is down is read again after a backoff ({@link RetryingPoll}), never skipped.
 */
final class TopicFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** The stack may create the topics after the dashboard starts: look for them every few seconds, not every 5 min. */
    private static final String METADATA_MAX_AGE_MS = "3000";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicRecords records;
    private final RetryingPoll poll;
    private final Thread thread;
    private volatile boolean running = true;

    private TopicFeed(String bootstrapServers, String registryUrl, DashboardData data) {
        Properties props = ReportConsumers.readCommittedFromStart(bootstrapServers, "tierflow-dashboard-");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, METADATA_MAX_AGE_MS);
        this.records = new TopicRecords(AvroSerdes.forRegistry(registryUrl), data);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(TopicRecords.TOPICS);
        this.poll = new RetryingPoll(consumer, records::dispatch, duration -> Thread.sleep(duration.toMillis()));
        this.thread = new Thread(this::run, "tierflow-dashboard-feed");
        thread.setDaemon(true);
    }

    static TopicFeed start(String bootstrapServers, String registryUrl, DashboardData data) {
        TopicFeed feed = new TopicFeed(bootstrapServers, registryUrl, data);
        feed.thread.start();
        return feed;
    }

    private void run() {
        try {
            while (running) {
                poll.pollOnce(POLL);
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("The dashboard stopped reading the topics: {}", e.toString(), e);
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    boolean running() {
        return running;
    }

    /** Why the feed is waiting for the registry, or null when it is not. */
    String registryOutage() {
        RegistryUnavailableException outage = poll.outage();
        return outage == null ? null : outage.getMessage();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
