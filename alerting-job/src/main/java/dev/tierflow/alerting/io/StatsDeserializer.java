package dev.tierflow.alerting.io;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code stats.role} through the registry. The topic is written only by the attribution job, so a
 * record that cannot be read is a bug, not user input: it is logged with its coordinates and counted
 * ({@code statsUnreadable}), and the job goes on with the next window.
 */
public class StatsDeserializer implements KafkaRecordDeserializationSchema<CostQualityStats> {

    private static final Logger LOG = LoggerFactory.getLogger(StatsDeserializer.class);

    private final Map<String, String> registryConfig;
    private transient AvroKafkaDeserializer<CostQualityStats> avro;
    private transient Counter unreadable;

    public StatsDeserializer(Map<String, String> registryConfig) {
        this.registryConfig = Map.copyOf(registryConfig);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        avro = AvroSerdes.fromConfig(registryConfig).deserializer(CostQualityStats.class);
        unreadable = context.getMetricGroup().counter("statsUnreadable");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CostQualityStats> out) {
        try {
            CostQualityStats stats = avro.deserialize(record.topic(), record.headers(), record.value());
            if (stats != null) {
                out.collect(stats);
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("Unreadable stats record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
        }
        unreadable.inc();
    }

    @Override
    public TypeInformation<CostQualityStats> getProducedType() {
        return new AvroTypeInfo<>(CostQualityStats.class);
    }
}
