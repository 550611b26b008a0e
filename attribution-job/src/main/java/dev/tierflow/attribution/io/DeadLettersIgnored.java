package dev.tierflow.attribution.io;

import dev.tierflow.attribution.model.JoinInput;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * A watermark strategy that does not see dead letters: a record the job could not accept carries no
 * event time it can trust (its Kafka timestamp is the producer's to choose), so it neither moves a
 * partition's watermark nor counts as activity that keeps an otherwise idle partition holding the
 * watermark back. Everything else goes to {@code inner} (bounded out-of-orderness with idleness).
 */
final class DeadLettersIgnored implements WatermarkStrategy<JoinInput> {

    private static final long serialVersionUID = 1L;

    private final WatermarkStrategy<JoinInput> inner;

    DeadLettersIgnored(WatermarkStrategy<JoinInput> inner) {
        this.inner = inner;
    }

    @Override
    public WatermarkGenerator<JoinInput> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        WatermarkGenerator<JoinInput> generator = inner.createWatermarkGenerator(context);
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(JoinInput input, long eventTimestamp, WatermarkOutput output) {
                if (input.deadLetter == null) {
                    generator.onEvent(input, eventTimestamp, output);
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                generator.onPeriodicEmit(output);
            }
        };
    }

    @Override
    public TimestampAssigner<JoinInput> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return inner.createTimestampAssigner(context);
    }
}
