package dev.tierflow.alerting.control;

import static dev.tierflow.alerting.control.ScopeControllerTest.POLICY;
import static dev.tierflow.alerting.control.ScopeControllerTest.stats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.testing.TestInstants;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The scope control operator in Flink's test harness: keyed state shared by both inputs, timers, side output, restore. */
class ScopeControlFunctionTest {

    private static final Instant T = TestInstants.BEGINNING;
    private static final long EXPENSIVE = 40_000;

    private static KeyedTwoInputStreamOperatorTestHarness<String, CostQualityStats, PolicyChange, Alert> harness() throws Exception {
        var harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new ScopeControlFunction(POLICY, "test.yaml", true),
                (CostQualityStats stats) -> Scopes.actionScope(stats.getScope()), (PolicyChange change) -> change.scope, Types.STRING);
        return harness;
    }

    @Test
    void aProbationEndsOnItsTimerAndTheDemotionIsKept() throws Exception {
        try (var harness = harness()) {
            CostQualityStats expensive = stats("role=planner", T, 0.9, 20, EXPENSIVE);
            harness.processElement1(new StreamRecord<>(expensive, expensive.getWindowEnd().toEpochMilli()));

            assertThat(changes(harness)).singleElement().satisfies(change -> assertThat(change.rule.getTier()).isEqualTo("mid"));
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);

            // no more stats for the planner: the probation still ends, on its timer (window end 09:01 + 10 min)
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T.plusSeconds(660).toEpochMilli()));

            assertThat(harness.extractOutputValues()).last().satisfies(alert -> {
                assertThat(alert.getKind()).isEqualTo(AlertKind.POLICY_ACTION);
                assertThat(alert.getMessage()).startsWith("kept role=planner on mid after probation");
            });
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anOperatorRuleOnThePolicyInputFreezesTheScopeItsStatsAreJudgedIn() throws Exception {
        try (var harness = harness()) {
            PolicyRule frozen = PolicyRule.newBuilder().setScope("role=worker").setTier("small").setModel(null).setMaxOutputTokens(null)
                    .setPinned(false).setSource(PolicySource.OPERATOR).setReason("frozen").setCausedByAlertId(null).setVersion(3)
                    .setUpdatedAt(T).setExpiresAt(null).build();
            harness.processElement2(new StreamRecord<>(PolicyChange.set(frozen), T.toEpochMilli()));
            CostQualityStats bad = stats("role=worker", T, 0.4, 20, 1_000);
            harness.processElement1(new StreamRecord<>(bad, bad.getWindowEnd().toEpochMilli()));

            assertThat(harness.extractOutputValues()).singleElement()
                    .satisfies(alert -> assertThat(alert.getActionTaken()).contains("frozen by an operator rule"));
            assertThat(changes(harness)).isEmpty();
        }
    }

    @Test
    void aRestoredOperatorRemembersAFiringAlertAndDoesNotFireItAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            CostQualityStats bad = stats("role=worker", T, 0.4, 20, 1_000);
            harness.processElement1(new StreamRecord<>(bad, bad.getWindowEnd().toEpochMilli()));
            assertThat(harness.extractOutputValues()).anySatisfy(alert -> assertThat(alert.getState()).isEqualTo(AlertState.FIRING));
            snapshot = harness.snapshot(1L, 1L);
        }
        var restored = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ScopeControlFunction(POLICY, "test.yaml", true)),
                (CostQualityStats stats) -> Scopes.actionScope(stats.getScope()), (PolicyChange change) -> change.scope, Types.STRING);
        try (restored) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            CostQualityStats stillBad = stats("role=worker", T.plusSeconds(20), 0.45, 20, 1_000);
            restored.processElement1(new StreamRecord<>(stillBad, stillBad.getWindowEnd().toEpochMilli()));
            assertThat(restored.extractOutputValues()).isEmpty();
        }
    }

    private static List<PolicyChange> changes(KeyedTwoInputStreamOperatorTestHarness<String, CostQualityStats, PolicyChange, Alert> harness) {
        var records = harness.getSideOutput(ScopeControlFunction.POLICY_CHANGES);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
