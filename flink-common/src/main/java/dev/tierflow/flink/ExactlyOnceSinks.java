package dev.tierflow.flink;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** Kafka sinks that commit with the job's checkpoints: output is visible to read_committed readers exactly once. */
public final class ExactlyOnceSinks {

    private ExactlyOnceSinks() {
    }

    /**
     * @param clientConfig       Kafka client properties (bootstrap servers, security), passed through untouched
     * @param transactionalIdPrefix unique per job on the cluster; the topic is appended, so the job's sinks never fence each other
     * @param transactionTimeout must exceed the checkpoint interval and stay below the brokers' {@code transaction.max.timeout.ms}
     */
    public static <T> KafkaSink<T> sink(Map<String, String> clientConfig, String transactionalIdPrefix, Duration transactionTimeout,
                                        String topic, KafkaRecordSerializationSchema<T> serializer) {
        Properties producer = new Properties();
        producer.putAll(clientConfig);
        producer.setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(clientConfig.get("bootstrap.servers"))
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix + "." + topic)
                .build();
    }
}
