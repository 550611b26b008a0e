package dev.tierflow.flink;

import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** Kafka sources of the Flink jobs: they read only committed records, and a bounded job reads to the end offsets at start. */
public final class CommittedSources {

    private CommittedSources() {
    }

    /**
     * A source builder reading committed records only (TierFlow's topics are written in transactions, and an
     * aborted record must never count); topics, offsets and deserializer are the caller's.
     */
    public static <T> KafkaSourceBuilder<T> builder(Map<String, String> clientConfig, String groupId, boolean bounded) {
        Properties consumer = JobProperties.asProperties(clientConfig);
        consumer.setProperty("isolation.level", "read_committed");
        KafkaSourceBuilder<T> builder = KafkaSource.<T>builder()
                .setBootstrapServers(clientConfig.get("bootstrap.servers"))
                .setProperties(consumer)
                .setGroupId(groupId);
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder;
    }
}
