package dev.tierflow.attribution.io;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.testing.TestInstants;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/**
 * The source's watermarks (1 s out of order, idle after 30 s) with dead letters among the records: a
 * dead letter's Kafka timestamp is the producer's to choose, so it must neither move nor hold the watermark.
 */
class DeadLettersIgnoredTest {

    private static final long T = TestInstants.BEGINNING.toEpochMilli();
    private static final long NEXT_YEAR = T + 365L * 24 * 3600 * 1000;

    private final ManualClock activity = new ManualClock();
    private final List<Object> emitted = new ArrayList<>();
    private final WatermarkStrategy<JoinInput> strategy = AttributionKafka.watermarks(settings());
    private final WatermarkGenerator<JoinInput> generator = strategy.createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
        @Override
        public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
        }

        @Override
        public RelativeClock getInputActivityClock() {
            return activity;
        }
    });
    private final TimestampAssigner<JoinInput> timestamps = strategy.createTimestampAssigner(UnregisteredMetricsGroup::new);
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            emitted.add("idle");
        }

        @Override
        public void markActive() {
            emitted.add("active");
        }
    };

    @Test
    void aDeadLetterStampedNextYearDoesNotMoveTheWatermark() {
        read(JoinInput.span(span("t").endedAt(TestInstants.BEGINNING).build()), T);
        read(deadLetter(), NEXT_YEAR);
        generator.onPeriodicEmit(output);

        assertThat(emitted).containsExactly(T - 1_000 - 1);
    }

    @Test
    void aPartitionWithOnlyDeadLettersGoesIdleAndStopsHoldingTheWatermarkBack() {
        read(JoinInput.span(span("t").endedAt(TestInstants.BEGINNING).build()), T);
        generator.onPeriodicEmit(output);
        for (int second = 1; second <= 40; second++) {
            activity.advanceTime(java.time.Duration.ofSeconds(1));
            read(deadLetter(), T);
            generator.onPeriodicEmit(output);
        }

        assertThat(emitted).endsWith("idle");
    }

    private void read(JoinInput input, long recordTimestamp) {
        generator.onEvent(input, timestamps.extractTimestamp(input, recordTimestamp), output);
    }

    private static JoinInput deadLetter() {
        return JoinInput.deadLetter(DeadLetter.of("results.small", 0, 1L, null, new byte[] {1}, "UNDECODABLE", "not Avro"));
    }

    private static AttributionSettings settings() {
        Properties all = AttributionSettings.defaults();
        all.setProperty(AttributionSettings.POLICY_FILE, "policy.yaml");
        all.setProperty(AttributionSettings.PRICES_FILE, "prices.yaml");
        all.setProperty(AttributionSettings.OUT_OF_ORDERNESS, "1 s");
        all.setProperty(AttributionSettings.IDLENESS, "30 s");
        all.setProperty(AttributionSettings.BOUNDED, "true");
        return AttributionSettings.from(all);
    }
}
