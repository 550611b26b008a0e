package dev.tierflow.local;

import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RegistryFailures;
import dev.tierflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the records of the topics the reports read ({@code stats.role}, {@code alerts}, {@code policy})
 * and hands each to a {@link Listener}. A record it cannot decode is logged and reported as such: one bad
 * record must not blank a report. A record it cannot decode because the registry is not reachable is not
 * bad: {@link #dispatch} throws {@link RegistryUnavailableException} and the reader reads it again later.
 */
public final class TopicRecords {

    /** What the reports read, in this order. */
    public static final List<String> TOPICS = List.of(Topics.STATS.name(), Topics.ALERTS.name(), Topics.POLICY.name());

    /** Receives decoded records; each method defaults to ignoring its kind. */
    public interface Listener {

        default void onStats(CostQualityStats stats) {
        }

        default void onAlert(Alert alert) {
        }

        /** A record of the compacted policy topic: a rule, or null for a tombstone of that scope. */
        default void onPolicy(String scope, PolicyRule rule) {
        }

        default void onUndecodable() {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicRecords.class);

    private final Deserializer<CostQualityStats> stats;
    private final Deserializer<Alert> alerts;
    private final Deserializer<PolicyRule> policy;
    private final Listener listener;

    public TopicRecords(AvroSerdes serdes, Listener listener) {
        this.stats = serdes.deserializer(CostQualityStats.class);
        this.alerts = serdes.deserializer(Alert.class);
        this.policy = serdes.deserializer(PolicyRule.class);
        this.listener = listener;
    }

    /**
     * Decodes one record and hands it to the listener.
     *
     * @throws RegistryUnavailableException when the registry could not be reached; nothing was handed on
     */
    public void dispatch(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        try {
            if (topic.equals(Topics.STATS.name())) {
                if (record.value() != null) {
                    listener.onStats(stats.deserialize(topic, record.headers(), record.value()));
                }
            } else if (topic.equals(Topics.ALERTS.name())) {
                if (record.value() != null) {
                    listener.onAlert(alerts.deserialize(topic, record.headers(), record.value()));
                }
            } else if (topic.equals(Topics.POLICY.name())) {
                String scope = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                PolicyRule rule = record.value() == null ? null : policy.deserialize(topic, record.headers(), record.value());
                if (scope == null && rule != null) {
                    scope = rule.getScope();
                }
                if (scope != null) {
                    listener.onPolicy(scope, rule);
                }
            }
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                throw new RegistryUnavailableException(topic, record.partition(), record.offset(), e);
            }
            LOG.warn("Skipping a record that cannot be decoded at {}-{}@{}: {}", topic, record.partition(), record.offset(), e.toString());
            listener.onUndecodable();
        }
    }
}
