package dev.tierflow.alerting.webhook;

import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.Topics;
import dev.tierflow.schemas.RegistryFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@code alerts} topic to an incoming webhook (Slack, Mattermost, Teams...) as
 * {@code {"text": "[FIRING] COST_CEILING role=worker: ..."}}, one post per alert, in topic order per
 * partition.
 *
 * <p>It reads committed records only (the alerting job writes them in transactions) and commits an
 * alert's offset once the alert is dealt with: delivered, skipped by the filter, or given up on. So
 * delivery is at least once: after a crash the alert that was being posted is posted again. An alert
 * that cannot be delivered (the attempts run out, or the server refuses it for good) is logged at
 * ERROR and skipped; it stays on the topic. A record that cannot be decoded is logged and skipped too,
 * but a registry that cannot be reached ({@link RegistryFailures}) is no bad record: the forwarder
 * rewinds to that alert, waits (the webhook's backoff, doubled up to its maximum while the outage lasts)
 * and reads it again, commits nothing past it, and keeps polling, so it stays in its group.
 *
 * <p>{@link #run()} loops on the calling thread until {@link #close()}; {@link #start()} runs it on a
 * thread of its own.
 */
public final class AlertWebhookForwarder implements AutoCloseable, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhookForwarder.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final WebhookSettings settings;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<Alert> alerts;
    private final WebhookPoster poster;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread thread;
    private Duration outageWait;

    public AlertWebhookForwarder(WebhookSettings settings) {
        this(settings, new KafkaConsumer<>(consumerProperties(settings), new StringDeserializer(), new ByteArrayDeserializer()),
                AvroSerdes.fromConfig(settings.registryConfig()).deserializer(Alert.class));
    }

    /** With the consumer and the alerts' deserializer given: tests read through a registry that fails on purpose. */
    AlertWebhookForwarder(WebhookSettings settings, Consumer<String, byte[]> consumer, Deserializer<Alert> alerts) {
        this.settings = settings;
        // a close() ends a wait between attempts at once
        this.poster = new WebhookPoster(settings, duration -> {
            if (stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new InterruptedException("closing");
            }
        }, Clock.systemUTC());
        this.alerts = alerts;
        this.consumer = consumer;
        this.outageWait = settings.initialBackoff();
    }

    static Properties consumerProperties(WebhookSettings settings) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putAll(settings.clientConfig());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        // the forwarder commits after delivery; these two are not negotiable
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }

    /** Runs {@link #run()} on a thread of its own; {@link #close()} stops it. */
    public AlertWebhookForwarder start() {
        new Thread(this, "tierflow-alert-webhook").start();
        return this;
    }

    @Override
    public void run() {
        if (!claimed.compareAndSet(false, true)) {
            throw new IllegalStateException("the forwarder is already running, or closed");
        }
        thread = Thread.currentThread();
        LOG.info("Forwarding alerts from '{}' (group {}) to {}{}", Topics.ALERTS.name(), settings.groupId(), settings.redactedUrl(),
                settings.skipInfo() ? ", INFO notices skipped" : "");
        try {
            consumer.subscribe(List.of(Topics.ALERTS.name()));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!forwardAll(records)) {
                    if (stopping.await(outageWait.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    Duration doubled = outageWait.multipliedBy(2);
                    outageWait = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
                }
            }
        } catch (InterruptedException e) {
            // closed during a wait between attempts: that alert is not committed, a restart posts it again
            if (running.get()) {
                Thread.currentThread().interrupt();
            }
        } finally {
            try {
                consumer.close(CLOSE_TIMEOUT);
            } finally {
                alerts.close();
                finished.countDown();
                LOG.info("Alert webhook forwarder stopped");
            }
        }
    }

    /**
     * Forwards the polled alerts partition by partition, committing each; false when the registry could
     * not be reached, after rewinding every partition to its first alert not dealt with.
     */
    private boolean forwardAll(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int p = 0; p < partitions.size(); p++) {
            TopicPartition partition = partitions.get(p);
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!running.get()) {
                    return true;
                }
                Alert alert;
                try {
                    alert = decode(record);
                } catch (RegistryUnreachable outage) {
                    LOG.warn("Schema registry unreachable while reading the alert at {}-{}@{} ({}); reading it again in {} ms",
                            record.topic(), record.partition(), record.offset(), outage.getCause().toString(), outageWait.toMillis());
                    consumer.seek(partition, record.offset());
                    for (TopicPartition later : partitions.subList(p + 1, partitions.size())) {
                        consumer.seek(later, records.records(later).get(0).offset());
                    }
                    return false;
                }
                outageWait = settings.initialBackoff();
                if (alert != null) {
                    forward(record, alert);
                }
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            }
        }
        return true;
    }

    /** The alert, or null for a record to skip (no value, or one that cannot be decoded). */
    private Alert decode(ConsumerRecord<String, byte[]> record) throws RegistryUnreachable {
        if (record.value() == null) {
            return null;
        }
        try {
            return alerts.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                throw new RegistryUnreachable(e);
            }
            LOG.error("Skipping undecodable record {}-{}@{} (key {}): {}", record.topic(), record.partition(), record.offset(), record.key(),
                    e.toString());
            return null;
        }
    }

    /** The registry, not the record, failed: the record is read again. */
    private static final class RegistryUnreachable extends Exception {
        RegistryUnreachable(RuntimeException cause) {
            super(cause);
        }
    }

    private void forward(ConsumerRecord<String, byte[]> record, Alert alert) throws InterruptedException {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (settings.skipInfo() && alert.getState() == AlertState.INFO) {
            LOG.debug("Skipping INFO alert {} at {}", alert.getAlertId(), where);
            return;
        }
        WebhookPoster.Outcome outcome = poster.post(AlertText.body(alert));
        if (outcome.delivered()) {
            LOG.info("Delivered alert {} ({} {}) from {} after {} attempt(s)", alert.getAlertId(), alert.getState(), alert.getKind(),
                    where, outcome.attempts());
        } else {
            LOG.error("Could not deliver alert {} from {} to {} after {} attempt(s): {}. Moving on; the alert stays on the topic: {}",
                    alert.getAlertId(), where, settings.redactedUrl(), outcome.attempts(), outcome.detail(), AlertText.line(alert));
        }
    }

    /**
     * Stops the loop and waits until the consumer is closed: a wait between attempts ends at once (that
     * alert is not committed), a request in flight ends within the request timeout, a poll within 0.5 s.
     */
    @Override
    public void close() {
        if (running.getAndSet(false)) {
            stopping.countDown();
        }
        if (claimed.compareAndSet(false, true)) {
            // never ran: nothing else will close the consumer
            try {
                consumer.close(CLOSE_TIMEOUT);
            } finally {
                alerts.close();
                finished.countDown();
            }
            return;
        }
        Thread current = Thread.currentThread();
        if (current == thread) {
            return;
        }
        try {
            if (!finished.await(CLOSE_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("The alert webhook forwarder did not stop within {}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            current.interrupt();
        }
    }
}
