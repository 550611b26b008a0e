package dev.tierflow.alerting.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Dead letters per processing-time minute: above 5 fires, a quiet minute resolves, the state is cleared afterwards. */
class DeadLetterRateFunctionTest {

    private static final long MINUTE = 60_000;

    @Test
    void aBurstFiresOnceAndAQuietMinuteResolvesIt() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, String, Alert> harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DeadLetterRateFunction(5, 0.05), topic -> DeadLetterRateFunction.KEY, Types.STRING)) {
            harness.open();
            harness.setProcessingTime(10 * MINUTE + 1_000);
            for (int i = 0; i < 7; i++) {
                harness.processElement("tasks.dlq", 10 * MINUTE + 1_000);
            }

            harness.setProcessingTime(11 * MINUTE);
            assertThat(harness.extractOutputValues()).singleElement().satisfies(alert -> {
                assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
                assertThat(alert.getObserved()).isEqualTo(7.0);
                assertThat(alert.getThreshold()).isEqualTo(5.0);
            });

            // 5 in the next minute: not above the maximum, but not under it by the 5 % band: still firing
            for (int i = 0; i < 5; i++) {
                harness.processElement("attribution.dlq", 11 * MINUTE + 1_000);
            }
            harness.setProcessingTime(12 * MINUTE);
            assertThat(harness.extractOutputValues()).hasSize(1);

            // a minute without any dead letter resolves it, and nothing is left counting
            harness.setProcessingTime(13 * MINUTE);
            assertThat(harness.extractOutputValues()).hasSize(2).last().extracting(Alert::getState).isEqualTo(AlertState.RESOLVED);
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }
}
