package dev.tierflow.attribution.io;

import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.otlp.OtlpSpanDecoder;
import dev.tierflow.attribution.validate.EventTimeBounds;
import dev.tierflow.flink.AvroRecordSerializer;
import dev.tierflow.flink.CommittedSources;
import dev.tierflow.flink.ExactlyOnceSinks;
import dev.tierflow.schemas.Topic;
import dev.tierflow.schemas.Topics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's Kafka source and sinks, built from its settings. */
public final class AttributionKafka {

    /** The watermark alignment group of the job's one source. */
    static final String ALIGNMENT_GROUP = "tierflow-attribution-input";

    private AttributionKafka() {
    }

    /** The tier topics, the results topics and (optionally) {@code otlp_spans}, in one source. */
    public static KafkaSource<JoinInput> source(AttributionSettings settings, List<String> tiers, OtlpSpanDecoder otlp,
                                                EventTimeBounds eventTime) {
        Set<String> routed = new LinkedHashSet<>();
        Set<String> results = new LinkedHashSet<>();
        for (String tier : tiers) {
            routed.add(Topics.routedTasks(tier).name());
            results.add(Topics.results(tier).name());
        }
        List<String> topics = new ArrayList<>(routed);
        topics.addAll(results);
        if (settings.otlpEnabled()) {
            topics.add(Topics.OTLP_SPANS.name());
        }
        return CommittedSources.<JoinInput>builder(settings.clientConfig(), settings.groupId(), settings.bounded())
                .setTopics(topics)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new JoinInputDeserializer(settings.registryConfig(), routed, results,
                        Topics.OTLP_SPANS.name(), settings.otlpEnabled() ? otlp : null, eventTime))
                .build();
    }

    /**
     * Per-partition watermarks from the records' own times (routed-at, span end), bounded out of order,
     * and idle partitions (a tier nobody uses) do not hold the windows back. Aligned when the settings
     * say so: no partition is read more than the drift ahead of the slowest one. Dead letters are not seen
     * by the watermarks at all (see {@link DeadLettersIgnored}).
     */
    public static WatermarkStrategy<JoinInput> watermarks(AttributionSettings settings) {
        WatermarkStrategy<JoinInput> strategy = new DeadLettersIgnored(WatermarkStrategy.<JoinInput>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner((input, recordTimestamp) -> input.eventTimeMillis(recordTimestamp))
                .withIdleness(settings.idleness()));
        return settings.alignmentEnabled()
                ? strategy.withWatermarkAlignment(ALIGNMENT_GROUP, settings.alignmentMaxDrift(), settings.alignmentUpdateInterval())
                : strategy;
    }

    public static <T extends SpecificRecord> KafkaSink<T> avroSink(AttributionSettings settings, Topic<String, T> topic,
                                                                 SerializableFunction<T, String> key) {
        return ExactlyOnceSinks.sink(settings.clientConfig(), settings.transactionalIdPrefix(), settings.transactionTimeout(), topic.name(),
                new AvroRecordSerializer<>(settings.registryConfig(), topic, key));
    }

    public static KafkaSink<DeadLetter> deadLetterSink(AttributionSettings settings) {
        return ExactlyOnceSinks.sink(settings.clientConfig(), settings.transactionalIdPrefix(), settings.transactionTimeout(),
                Topics.ATTRIBUTION_DLQ.name(), new DeadLetterSerializer(Topics.ATTRIBUTION_DLQ.name()));
    }
}
