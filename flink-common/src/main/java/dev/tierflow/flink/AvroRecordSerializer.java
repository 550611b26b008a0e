package dev.tierflow.flink;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Writes one Avro record type to its topic through the registry, keyed by a string taken from the record. */
public class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private final Map<String, String> registryConfig;
    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, String> key;

    private transient Serializer<T> values;

    public AvroRecordSerializer(Map<String, String> registryConfig, Topic<String, T> topic, SerializableFunction<T, String> key) {
        this.registryConfig = Map.copyOf(registryConfig);
        this.topic = topic.name();
        this.type = topic.valueType();
        this.key = key;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        values = AvroSerdes.fromConfig(registryConfig).avro(type, false).serializer();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, key.apply(element).getBytes(StandardCharsets.UTF_8),
                values.serialize(topic, element));
    }
}
