package dev.tierflow.local.dashboard;

import dev.tierflow.local.ReportConsumers;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code stats.role}, {@code alerts} and {@code policy} from their start, committed records only
 * (the Flink jobs write them in transactions), on one thread, and hands each decoded record to the
 * {@link DashboardData}. A record it cannot decode is logged and skipped: one bad record must not blank the page.
 */
final class TopicFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** The stack may create the topics after the dashboard starts: look for them every few seconds, not every 5 min. */
    private static final String METADATA_MAX_AGE_MS = "3000";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<CostQualityStats> stats;
    private final Deserializer<Alert> alerts;
    private final Deserializer<PolicyRule> policy;
    private final DashboardData data;
    private final Thread thread;
    private volatile boolean running = true;

    private TopicFeed(String bootstrapServers, String registryUrl, DashboardData data) {
        Properties props = ReportConsumers.readCommittedFromStart(bootstrapServers, "tierflow-dashboard-");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, METADATA_MAX_AGE_MS);
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        this.stats = serdes.deserializer(CostQualityStats.class);
        this.alerts = serdes.deserializer(Alert.class);
        this.policy = serdes.deserializer(PolicyRule.class);
        this.data = data;
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.STATS.name(), Topics.ALERTS.name(), Topics.POLICY.name()));
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
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    dispatch(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("The dashboard stopped reading the topics: {}", e.toString(), e);
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        try {
            if (topic.equals(Topics.STATS.name())) {
                if (record.value() != null) {
                    data.onStats(stats.deserialize(topic, record.headers(), record.value()));
                }
            } else if (topic.equals(Topics.ALERTS.name())) {
                if (record.value() != null) {
                    data.onAlert(alerts.deserialize(topic, record.headers(), record.value()));
                }
            } else if (topic.equals(Topics.POLICY.name())) {
                String scope = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                PolicyRule rule = record.value() == null ? null : policy.deserialize(topic, record.headers(), record.value());
                if (scope == null && rule != null) {
                    scope = rule.getScope();
                }
                if (scope != null) {
                    data.onPolicy(scope, rule);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Dashboard skips a record it cannot decode at {}-{}@{}: {}", topic, record.partition(), record.offset(), e.toString());
            data.onUndecodable();
        }
    }

    boolean running() {
        return running;
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
