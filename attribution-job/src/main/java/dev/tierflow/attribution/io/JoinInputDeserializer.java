package dev.tierflow.attribution.io;

import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.attribution.otlp.OtlpDecoded;
import dev.tierflow.attribution.otlp.OtlpRejectedSpan;
import dev.tierflow.attribution.otlp.OtlpSpanDecoder;
import dev.tierflow.attribution.validate.EventTimeBounds;
import dev.tierflow.attribution.validate.InputChecks;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.RegistryFailures;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>Every span and routed task is checked here, where its original bytes are still at hand: numbers
 * and names by {@link InputChecks} ({@code INVALID_FIELD}), event time by {@link EventTimeBounds}
 * ({@code EVENT_TIME_OUT_OF_BOUNDS}). What passes cannot fail the join or the sums downstream.
 */
public class JoinInputDeserializer implements KafkaRecordDeserializationSchema<JoinInput> {

    private static final int FRAME_HEADER = 5;

    private final Map<String, String> registryConfig;
    private final Set<String> routedTopics;
    private final Set<String> resultTopics;
    private final String otlpTopic;
    private final OtlpSpanDecoder otlp;
    private final EventTimeBounds eventTime;

    private transient AvroKafkaDeserializer<RoutedTask> routedDeserializer;
    private transient AvroKafkaDeserializer<ResultSpan> spanDeserializer;

    /** @param otlp null when OTLP ingest is off */
    public JoinInputDeserializer(Map<String, String> registryConfig, Set<String> routedTopics, Set<String> resultTopics,
                                 String otlpTopic, OtlpSpanDecoder otlp, EventTimeBounds eventTime) {
        this.registryConfig = Map.copyOf(registryConfig);
        this.routedTopics = Set.copyOf(routedTopics);
        this.resultTopics = Set.copyOf(resultTopics);
        this.otlpTopic = otlpTopic;
        this.otlp = otlp;
        this.eventTime = eventTime;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        AvroSerdes serdes = serdes();
        routedDeserializer = serdes.deserializer(RoutedTask.class);
        spanDeserializer = serdes.deserializer(ResultSpan.class);
    }

    /** The registry's serdes; tests read through an in-memory registry instead. */
    AvroSerdes serdes() {
        return AvroSerdes.fromConfig(registryConfig);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<JoinInput> out) throws IOException {
        String topic = record.topic();
        if (routedTopics.contains(topic)) {
            RoutedTask routed = decodeAvro(record, routedDeserializer, out);
            if (routed != null) {
                RoutedRef ref = RoutedRef.of(routed);
                if (accepted(record, InputChecks.routedProblem(ref), eventTime.problem("routedAt", ref.routedAtMillis), out)) {
                    out.collect(JoinInput.routed(ref));
                }
            }
        } else if (resultTopics.contains(topic)) {
            ResultSpan span = decodeAvro(record, spanDeserializer, out);
            if (span != null && accepted(record, InputChecks.spanProblem(span), eventTime.problem("endedAt", endedAt(span)), out)) {
                out.collect(JoinInput.span(span));
            }
        } else if (otlp != null && topic.equals(otlpTopic)) {
            decodeOtlp(record, out);
        } else {
            out.collect(deadLetter(record, DeadLetterReason.PROCESSING_ERROR, "the attribution job does not read topic " + topic));
        }
    }

    /** Whether a decoded record passed its checks; if not, it leaves as a dead letter with the first problem found. */
    private static boolean accepted(ConsumerRecord<byte[], byte[]> record, String invalid, String outOfBounds, Collector<JoinInput> out) {
        if (invalid != null) {
            out.collect(deadLetter(record, DeadLetterReason.INVALID_FIELD, invalid));
            return false;
        }
        if (outOfBounds != null) {
            out.collect(deadLetter(record, DeadLetterReason.EVENT_TIME_OUT_OF_BOUNDS, outOfBounds));
            return false;
        }
        return true;
    }

    private static long endedAt(ResultSpan span) {
        return span.getEndedAt().toEpochMilli();
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
        List<String> outOfBounds = new ArrayList<>(0);
        for (ResultSpan span : decoded.spans()) {
            String problem = eventTime.problem("endedAt", endedAt(span));
            if (problem == null) {
                out.collect(JoinInput.span(span));
            } else {
                outOfBounds.add("span " + span.getSpanId() + ": " + problem);
            }
        }
        // the record's good spans are counted; the whole record is kept once for the others, under the
        // reason of the first kind found (invalid fields before event times)
        if (!decoded.rejected().isEmpty()) {
            List<String> problems = new ArrayList<>(decoded.rejected().stream().map(OtlpRejectedSpan::toString).toList());
            problems.addAll(outOfBounds);
            out.collect(deadLetter(record, DeadLetterReason.INVALID_FIELD, problems.size() + " span(s) rejected: "
                    + String.join("; ", problems)));
        } else if (!outOfBounds.isEmpty()) {
            out.collect(deadLetter(record, DeadLetterReason.EVENT_TIME_OUT_OF_BOUNDS, outOfBounds.size() + " span(s) rejected: "
                    + String.join("; ", outOfBounds)));
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
