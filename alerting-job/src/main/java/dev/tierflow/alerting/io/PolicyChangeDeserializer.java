package dev.tierflow.alerting.io;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the compacted {@code policy} topic: a rule per scope, or a tombstone (null value) removing it. */
public class PolicyChangeDeserializer implements KafkaRecordDeserializationSchema<PolicyChange> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChangeDeserializer.class);

    private final Map<String, String> registryConfig;
    private transient AvroKafkaDeserializer<PolicyRule> avro;

    public PolicyChangeDeserializer(Map<String, String> registryConfig) {
        this.registryConfig = Map.copyOf(registryConfig);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        avro = AvroSerdes.fromConfig(registryConfig).deserializer(PolicyRule.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<PolicyChange> out) {
        if (record.key() == null) {
            LOG.warn("Policy record without a scope key at {}-{}@{} ignored, as the router ignores it", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (record.value() == null) {
            out.collect(PolicyChange.remove(new String(record.key(), StandardCharsets.UTF_8)));
            return;
        }
        try {
            out.collect(PolicyChange.set(avro.deserialize(record.topic(), record.headers(), record.value())));
        } catch (RuntimeException e) {
            // the router rejects the same record and counts it; the scope keeps what it had
            LOG.warn("Unreadable policy rule at {}-{}@{} ignored, as the router ignores it: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
        }
    }

    @Override
    public TypeInformation<PolicyChange> getProducedType() {
        return TypeInformation.of(PolicyChange.class);
    }
}
