package dev.tierflow.alerting.io;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.RegistryFailures;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
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
 * ({@code statsUnreadable}), and the job goes on with the next window. An unreachable registry
 * ({@link RegistryFailures}) is not the record's fault: the read fails, so Flink restarts the source
 * from the last checkpoint and reads the same record again, rather than skipping a window's stats.
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
        avro = serdes().deserializer(CostQualityStats.class);
        unreadable = context.getMetricGroup().counter("statsUnreadable");
    }

    /** The registry's serdes; tests read through an in-memory registry instead. */
    AvroSerdes serdes() {
        return AvroSerdes.fromConfig(registryConfig);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CostQualityStats> out) throws IOException {
        try {
            CostQualityStats stats = avro.deserialize(record.topic(), record.headers(), record.value());
            if (stats != null) {
                out.collect(stats);
                return;
            }
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                throw new IOException("schema registry unreachable while reading " + record.topic() + "-" + record.partition() + "@"
                        + record.offset() + ": " + e, e);
            }
            LOG.warn("Unreadable stats record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
        }
        unreadable.inc();
    }

    @Override
    public TypeInformation<CostQualityStats> getProducedType() {
        return new AvroTypeInfo<>(CostQualityStats.class);
    }
}
