package dev.tierflow.alerting.io;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a policy change to the compacted {@code policy} topic, keyed by scope; a removal is a tombstone. */
public class PolicyChangeSerializer implements KafkaRecordSerializationSchema<PolicyChange> {

    private final Map<String, String> registryConfig;
    private transient Serializer<PolicyRule> values;

    public PolicyChangeSerializer(Map<String, String> registryConfig) {
        this.registryConfig = Map.copyOf(registryConfig);
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        values = AvroSerdes.fromConfig(registryConfig).avro(PolicyRule.class, false).serializer();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(PolicyChange change, KafkaSinkContext context, Long timestamp) {
        String topic = Topics.POLICY.name();
        byte[] value = change.isRemoval() ? null : values.serialize(topic, change.rule);
        return new ProducerRecord<>(topic, null, timestamp, change.scope.getBytes(StandardCharsets.UTF_8), value);
    }
}
