package dev.tierflow.attribution.io;

import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.attribution.otlp.OtlpDecoded;
import dev.tierflow.attribution.otlp.OtlpRejectedSpan;
import dev.tierflow.attribution.otlp.OtlpSpanDecoder;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.RegistryFailures;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads every input topic into {@link JoinInput}s: routed tasks and result spans through the registry,
 * OTLP requests through the {@link OtlpSpanDecoder} (one record may hold many spans). A record that
 * cannot be read becomes a dead letter carrying its original bytes; an unreachable registry fails the
 * read instead, so Flink retries from the last checkpoint rather than dead-lettering good records.
 */
public class JoinInputDeserializer implements KafkaRecordDeserializationSchema<JoinInput> {

    private static final int FRAME_HEADER = 5;

    private final Map<String, String> registryConfig;
    private final Set<String> routedTopics;
    private final Set<String> resultTopics;
    private final String otlpTopic;
    private final OtlpSpanDecoder otlp;

    private transient AvroKafkaDeserializer<RoutedTask> routedDeserializer;
    private transient AvroKafkaDeserializer<ResultSpan> spanDeserializer;

    /** @param otlp null when OTLP ingest is off */
    public JoinInputDeserializer(Map<String, String> registryConfig, Set<String> routedTopics, Set<String> resultTopics,
                                 String otlpTopic, OtlpSpanDecoder otlp) {
        this.registryConfig = Map.copyOf(registryConfig);
        this.routedTopics = Set.copyOf(routedTopics);
        this.resultTopics = Set.copyOf(resultTopics);
        this.otlpTopic = otlpTopic;
        this.otlp = otlp;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        AvroSerdes serdes = AvroSerdes.fromConfig(registryConfig);
        routedDeserializer = serdes.deserializer(RoutedTask.class);
        spanDeserializer = serdes.deserializer(ResultSpan.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<JoinInput> out) throws IOException {
        String topic = record.topic();
        if (routedTopics.contains(topic)) {
            RoutedTask routed = decodeAvro(record, routedDeserializer, out);
            if (routed != null) {
                out.collect(JoinInput.routed(RoutedRef.of(routed)));
            }
        } else if (resultTopics.contains(topic)) {
            ResultSpan span = decodeAvro(record, spanDeserializer, out);
            if (span != null) {
                out.collect(JoinInput.span(span));
            }
        } else if (otlp != null && topic.equals(otlpTopic)) {
            decodeOtlp(record, out);
        } else {
            out.collect(deadLetter(record, DeadLetterReason.PROCESSING_ERROR, "the attribution job does not read topic " + topic));
        }
    }

    private <T> T decodeAvro(ConsumerRecord<byte[], byte[]> record, AvroKafkaDeserializer<T> deserializer, Collector<JoinInput> out)
            throws IOException {
        byte[] data = record.value();
        if (data == null || data.length == 0) {
            out.collect(deadLetter(record, DeadLetterReason.MISSING_VALUE, "record has no value"));
            return null;
        }
        if (data[0] != 0 || data.length < FRAME_HEADER) {
            out.collect(deadLetter(record, DeadLetterReason.UNDECODABLE, "not a registry-framed Avro record: expected magic byte 0 "
                    + "and a 4-byte schema id, got " + data.length + " bytes starting with 0x" + String.format("%02x", data[0])));
            return null;
        }
        try {
            T value = deserializer.deserialize(record.topic(), record.headers(), data);
            if (value == null) {
                out.collect(deadLetter(record, DeadLetterReason.UNDECODABLE, "decoder returned nothing"));
            }
            return value;
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                throw new IOException("schema registry unreachable while reading " + record.topic() + ": " + e, e);
            }
            out.collect(deadLetter(record, DeadLetterReason.UNDECODABLE, "cannot decode: " + e));
            return null;
        }
    }

    private void decodeOtlp(ConsumerRecord<byte[], byte[]> record, Collector<JoinInput> out) {
        OtlpDecoded decoded = otlp.decode(record.value());
        if (decoded.unreadableReason() != null) {
            out.collect(deadLetter(record, DeadLetterReason.UNDECODABLE, decoded.unreadableReason()));
            return;
        }
        for (ResultSpan span : decoded.spans()) {
            out.collect(JoinInput.span(span));
        }
        if (!decoded.rejected().isEmpty()) {
            // the record's good spans are counted; the whole record is kept once for the rejected ones
            out.collect(deadLetter(record, DeadLetterReason.INVALID_FIELD, decoded.rejected().size() + " span(s) rejected: "
                    + decoded.rejected().stream().map(OtlpRejectedSpan::toString).collect(Collectors.joining("; "))));
        }
    }

    private static JoinInput deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        return JoinInput.deadLetter(DeadLetter.of(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                reason.name(), detail));
    }

    @Override
    public TypeInformation<JoinInput> getProducedType() {
        return TypeInformation.of(JoinInput.class);
    }
}
