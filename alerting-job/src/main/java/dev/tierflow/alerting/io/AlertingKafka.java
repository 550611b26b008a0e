package dev.tierflow.alerting.io;

import dev.tierflow.alerting.app.AlertingSettings;
import dev.tierflow.alerting.AlertingJob;
import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.flink.AvroRecordSerializer;
import dev.tierflow.flink.CommittedSources;
import dev.tierflow.flink.ExactlyOnceSinks;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.Topics;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The alerting job's Kafka sources and sinks. */
public final class AlertingKafka {

    private AlertingKafka() {
    }

    public static KafkaSource<CostQualityStats> statsSource(AlertingSettings settings) {
        return AlertingKafka.<CostQualityStats>builder(settings, "stats")
                .setTopics(Topics.STATS.name())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new StatsDeserializer(settings.registryConfig()))
                .build();
    }

    /** Stats are judged in window-end time; windows that fire again after late data come out of order. */
    public static WatermarkStrategy<CostQualityStats> statsWatermarks(AlertingSettings settings) {
        return WatermarkStrategy.<CostQualityStats>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner((stats, ignored) -> stats.getWindowEnd().toEpochMilli())
                .withIdleness(settings.idleness());
    }

    /** The whole compacted policy topic from the start, every time: it is the scopes' current rules. */
    /** @param prices the router's price catalog: records are validated as the router validates them */
    public static KafkaSource<PolicyChange> policySource(AlertingSettings settings, AlertingJob.Parameters parameters, PriceCatalog prices) {
        return AlertingKafka.<PolicyChange>builder(settings, "policy")
                .setTopics(Topics.POLICY.name())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new PolicyChangeDeserializer(settings.registryConfig(), parameters.policyYaml(), parameters.policySource(), prices))
                .build();
    }

    /**
     * The policy topic carries no event time of its own worth waiting for: its watermark is always at the
     * end of time, so the stats alone drive the job's clock.
     */
    public static WatermarkStrategy<PolicyChange> policyWatermarks() {
        return WatermarkStrategy.forGenerator(context -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(PolicyChange event, long eventTimestamp, WatermarkOutput output) {
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE - 1));
            }
        });
    }

    /** One element (its topic) per record on every dead-letter topic: the router's, the attribution job's and the workers'. */
    public static KafkaSource<String> deadLetterSource(AlertingSettings settings) {
        return AlertingKafka.<String>builder(settings, "dead-letters")
                .setTopicPattern(Topics.deadLetterTopics())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
                .setDeserializer(new TopicNameOnly())
                .build();
    }

    public static KafkaSink<Alert> alertSink(AlertingSettings settings) {
        return ExactlyOnceSinks.sink(settings.clientConfig(), settings.transactionalIdPrefix(), settings.transactionTimeout(),
                Topics.ALERTS.name(), new AvroRecordSerializer<>(settings.registryConfig(), Topics.ALERTS, Alert::getAlertId));
    }

    public static KafkaSink<PolicyChange> policySink(AlertingSettings settings) {
        return ExactlyOnceSinks.sink(settings.clientConfig(), settings.transactionalIdPrefix(), settings.transactionTimeout(),
                Topics.POLICY.name(), new PolicyChangeSerializer(settings.registryConfig()));
    }

    private static <T> KafkaSourceBuilder<T> builder(AlertingSettings settings, String name) {
        return CommittedSources.builder(settings.clientConfig(), settings.groupId() + "." + name, settings.bounded());
    }

    /** Dead letters are counted, not read: only where each came from is kept. */
    static final class TopicNameOnly implements KafkaRecordDeserializationSchema<String> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
            out.collect(record.topic());
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return TypeInformation.of(String.class);
        }
    }
}
