package dev.tierflow.attribution.join;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tierflow.attribution.FrontierPricing;
import dev.tierflow.attribution.WindowSpec;
import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.AttributionKind;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.policy.price.ModelPrice;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.StuckTask;
import dev.tierflow.testing.TestInstants;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The join of spans to routed attempts, one key at a time, in a keyed operator harness: each story
 * feeds records with their event time as the record timestamp (routed at routedAt, a span at its
 * end), moves the watermark by hand, and checks what came out and that state and timers are gone once
 * the outcome is decided.
 */
class SpanTaskJoinTest {

    private static final Duration JOIN_BOUND = Duration.ofMinutes(15);
    private static final Duration STUCK_AFTER = Duration.ofMinutes(5);
    /** Small windows so lateness is easy to reason about: 60 s every 20 s, late spans still count for 30 s. */
    private static final WindowSpec WINDOWS = new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(30));
    /** The frontier model costs $3 per million input tokens, $15 per million output, $0.30 per million cached input. */
    private static final FrontierPricing FRONTIER = new FrontierPricing("frontier", "frontier-model",
            new ModelPrice(new BigDecimal("3.00"), new BigDecimal("15.00"), new BigDecimal("0.30")));

    private static final Instant ROUTED_AT = TestInstants.BEGINNING;
    private static final Instant SPAN_ENDED = ROUTED_AT.plusSeconds(2);
    private static final Instant STUCK_AT = ROUTED_AT.plus(STUCK_AFTER);
    private static final Instant FORGOTTEN_AT = ROUTED_AT.plus(JOIN_BOUND);
    private static final Instant UNMATCHED_AT = SPAN_ENDED.plus(JOIN_BOUND);

    private static final String TASK = "task-1";

    private KeyedOneInputStreamOperatorTestHarness<String, JoinInput, Attribution> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    // ---- the usual order -------------------------------------------------------------------------

    @Test
    void aSpanAfterItsRoutedAttemptIsAttributedAtOnceToTheTasksDimensionsAndTheSpansTier() throws Exception {
        // the task says planner/summarize/globex; the span (a worker's copy) says worker/extract/acme
        routedArrives(routedTask());
        spanArrives(span(TASK).tier("medium", "medium-model").tokens(2_000, 500).cost(4_321).endedAt(SPAN_ENDED).build());

        Attribution attribution = onlyAttribution();
        assertThat(attribution.kind).isEqualTo(AttributionKind.SPAN);
        assertThat(attribution.role).isEqualTo("planner");
        assertThat(attribution.taskType).isEqualTo("summarize");
        assertThat(attribution.tenant).isEqualTo("globex");
        assertThat(attribution.rule).isEqualTo("STATIC_RULE");
        assertThat(attribution.tier).isEqualTo("medium");
        assertThat(attribution.model).isEqualTo("medium-model");
        assertThat(attribution.inputTokens).isEqualTo(2_000);
        assertThat(attribution.outputTokens).isEqualTo(500);
        assertThat(attribution.costMicros).isEqualTo(4_321);
        // USD per million tokens = micro-dollars per token: 2,000 × 3 + 500 × 15 = 6,000 + 7,500
        assertThat(attribution.frontierCostMicros).isEqualTo(13_500);
        assertThat(attribution.eventTimeMillis).isEqualTo(SPAN_ENDED.toEpochMilli());
        assertThat(onlyAttributionRecord().getTimestamp()).isEqualTo(SPAN_ENDED.toEpochMilli());
        assertThat(harness.getSideOutput(SpanTaskJoin.STUCK)).isNullOrEmpty();
        assertThat(harness.getSideOutput(SpanTaskJoin.UNMATCHED)).isNullOrEmpty();
        assertNothingKept();
    }

    @Test
    void cachedInputTokensArePricedAtTheFrontiersCachedPrice() throws Exception {
        routedArrives(routedTask());
        spanArrives(span(TASK).tokens(2_000, 500).cachedInputTokens(1_000).endedAt(SPAN_ENDED).build());

        // (2,000 − 1,000) × 3 + 1,000 × 0.30 + 500 × 15 = 3,000 + 300 + 7,500
        assertThat(onlyAttribution().frontierCostMicros).isEqualTo(10_800);
    }

    @Test
    void aSpanThatRanOnTheFrontierTierCostsWhatItCost() throws Exception {
        routedArrives(routedTask());
        spanArrives(span(TASK).tier("frontier", "frontier-model").tokens(2_000, 500).cost(9_999).endedAt(SPAN_ENDED).build());

        assertThat(onlyAttribution().frontierCostMicros).isEqualTo(9_999);
    }

    // ---- the span first --------------------------------------------------------------------------

    @Test
    void aSpanBeforeItsRoutedAttemptIsAttributedWhenTheAttemptArrivesAtTheSpansTime() throws Exception {
        spanArrives(span(TASK).endedAt(SPAN_ENDED).build());
        assertThat(attributions()).isEmpty();

        routedArrives(routedTask());

        Attribution attribution = onlyAttribution();
        assertThat(attribution.kind).isEqualTo(AttributionKind.SPAN);
        assertThat(attribution.role).isEqualTo("planner");
        // it counts in the span's windows, not the routing's: they are chosen from this time downstream
        assertThat(attribution.eventTimeMillis).isEqualTo(SPAN_ENDED.toEpochMilli());
        assertNothingKept();
    }

    // ---- no span: stuck --------------------------------------------------------------------------

    @Test
    void aRoutedAttemptWithNoSpanIsReportedStuckAndForgottenAtTheJoinBound() throws Exception {
        routedArrives(routedTask());

        harness.processWatermark(STUCK_AT.toEpochMilli() - 1);
        assertThat(harness.getOutput()).noneMatch(o -> o instanceof StreamRecord);
        assertThat(harness.getSideOutput(SpanTaskJoin.STUCK)).isNullOrEmpty();

        harness.processWatermark(STUCK_AT.toEpochMilli());
        StuckTask stuck = onlyStuck();
        assertThat(stuck.getTaskId()).isEqualTo(TASK);
        assertThat(stuck.getAttempt()).isEqualTo(0);
        assertThat(stuck.getRunId()).isEqualTo("run-1");
        assertThat(stuck.getRole()).isEqualTo("planner");
        assertThat(stuck.getTaskType()).isEqualTo("summarize");
        assertThat(stuck.getTenant()).isEqualTo("globex");
        assertThat(stuck.getTier()).isEqualTo("small");
        assertThat(stuck.getModel()).isEqualTo("small-model");
        assertThat(stuck.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        assertThat(stuck.getRoutedAt()).isEqualTo(ROUTED_AT);
        assertThat(stuck.getDeclaredStuckAt()).isEqualTo(STUCK_AT);

        Attribution attribution = onlyAttribution();
        assertThat(attribution.kind).isEqualTo(AttributionKind.STUCK);
        assertThat(attribution.role).isEqualTo("planner");
        assertThat(attribution.tier).isEqualTo("small");
        assertThat(attribution.costMicros).isZero();
        assertThat(onlyAttributionRecord().getTimestamp()).isEqualTo(STUCK_AT.toEpochMilli());

        // still waiting for a slow span: the attempt (marked as reported) and the forget timer
        harness.processWatermark(FORGOTTEN_AT.toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(FORGOTTEN_AT.toEpochMilli());
        assertThat(attributions()).hasSize(1);
        assertThat(harness.getSideOutput(SpanTaskJoin.STUCK)).hasSize(1);
        assertNothingKept();
    }

    @Test
    void aSlowSpanArrivingAfterTheStuckReportButBeforeTheJoinBoundStillJoins() throws Exception {
        routedArrives(routedTask());
        harness.processWatermark(STUCK_AT.toEpochMilli());
        assertThat(onlyStuck().getTaskId()).isEqualTo(TASK);

        Instant slowSpanEnded = STUCK_AT.plusSeconds(60);
        spanArrives(span(TASK).tokens(1_000, 200).cost(300).endedAt(slowSpanEnded).build());

        assertThat(attributions()).extracting(a -> a.kind).containsExactly(AttributionKind.STUCK, AttributionKind.SPAN);
        Attribution joined = attributions().get(1);
        assertThat(joined.costMicros).isEqualTo(300);
        assertThat(joined.eventTimeMillis).isEqualTo(slowSpanEnded.toEpochMilli());
        assertNothingKept();

        // nothing more at the join bound: the attempt is not reported twice
        harness.processWatermark(FORGOTTEN_AT.toEpochMilli());
        assertThat(attributions()).hasSize(2);
        assertThat(harness.getSideOutput(SpanTaskJoin.STUCK)).hasSize(1);
    }

    // ---- no routed attempt: unmatched -------------------------------------------------------------

    @Test
    void aSpanWithNoRoutedAttemptIsUnmatchedAtTheJoinBound() throws Exception {
        ResultSpan orphan = span(TASK).of("worker", "extract", "acme").tokens(1_000, 200).cost(300).endedAt(SPAN_ENDED).build();
        spanArrives(orphan);

        harness.processWatermark(UNMATCHED_AT.toEpochMilli() - 1);
        assertThat(attributions()).isEmpty();
        assertThat(harness.getSideOutput(SpanTaskJoin.UNMATCHED)).isNullOrEmpty();

        harness.processWatermark(UNMATCHED_AT.toEpochMilli());
        assertThat(unmatchedSpans()).containsExactly(orphan);
        Attribution attribution = onlyAttribution();
        assertThat(attribution.kind).isEqualTo(AttributionKind.UNMATCHED);
        assertThat(attribution.model).isEqualTo("small-model");
        assertThat(attribution.role).isEqualTo("worker");
        assertThat(attribution.rule).isNull();
        assertThat(attribution.costMicros).isEqualTo(300);
        // 1,000 × 3 + 200 × 15
        assertThat(attribution.frontierCostMicros).isEqualTo(6_000);
        // counted when it is declared unmatched
        assertThat(attribution.eventTimeMillis).isEqualTo(UNMATCHED_AT.toEpochMilli());
        assertThat(onlyAttributionRecord().getTimestamp()).isEqualTo(UNMATCHED_AT.toEpochMilli());
        assertNothingKept();
    }

    // ---- duplicates ------------------------------------------------------------------------------

    @Test
    void aSecondSpanForAnAttemptWhoseSpanIsStillWaitingIsUnmatchedAtOnce() throws Exception {
        ResultSpan first = span(TASK).cost(300).endedAt(SPAN_ENDED).build();
        ResultSpan second = span(TASK).cost(500).endedAt(SPAN_ENDED.plusSeconds(1)).build();
        spanArrives(first);
        spanArrives(second);

        assertThat(unmatchedSpans()).containsExactly(second);
        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.UNMATCHED);
        assertThat(onlyAttributionRecord().getTimestamp()).isEqualTo(SPAN_ENDED.plusSeconds(1).toEpochMilli());

        // the first one still joins, once
        routedArrives(routedTask());
        harness.processWatermark(SPAN_ENDED.plusSeconds(1).toEpochMilli());
        assertThat(attributions()).extracting(a -> a.kind, a -> a.costMicros)
                .containsExactly(tuple(AttributionKind.UNMATCHED, 500L),
                        tuple(AttributionKind.SPAN, 300L));
        assertNothingKept();
    }

    @Test
    void aSecondSpanAfterTheMatchIsUnmatchedAtTheJoinBound() throws Exception {
        // span first, then its routed attempt: matched at once; a second span for the same attempt finds nothing
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());
        routedArrives(routedTask());
        ResultSpan second = span(TASK).cost(500).endedAt(SPAN_ENDED).build();
        spanArrives(second);
        assertThat(unmatchedSpans()).isEmpty();

        harness.processWatermark(SPAN_ENDED.plus(JOIN_BOUND).toEpochMilli());

        assertThat(unmatchedSpans()).containsExactly(second);
        assertThat(attributions()).extracting(a -> a.kind).containsExactly(AttributionKind.SPAN, AttributionKind.UNMATCHED);
        assertNothingKept();
    }

    @Test
    void aSecondRoutedRecordForTheSameAttemptIsIgnored() throws Exception {
        routedArrives(routedTask());
        routedArrives(routed(plannerTask()).at(ROUTED_AT.plusSeconds(1)).build());
        // only the first one's stuck timer (the forget timer is set only once it is stuck), registered
        // from the operator's note once the watermark is the grace past the attempt
        harness.processWatermark(ROUTED_AT.plus(SpanTaskJoinOperator.SETTLE_GRACE).toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(FORGOTTEN_AT.plusSeconds(1).toEpochMilli());
        assertThat(attributions()).extracting(a -> a.kind).containsExactly(AttributionKind.STUCK);
        assertThat(onlyStuck().getRoutedAt()).isEqualTo(ROUTED_AT);
        assertNothingKept();
    }

    @Test
    void aRepeatedRoutedRecordDoesNotCountTheSpanTwice() throws Exception {
        routedArrives(routedTask());
        routedArrives(routedTask());
        spanArrives(span(TASK).endedAt(SPAN_ENDED).build());

        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.SPAN);
        assertNothingKept();
    }

    // ---- lateness --------------------------------------------------------------------------------

    /**
     * A span ending 2 s after the (minute-aligned) beginning belongs to the windows starting at −40 s,
     * −20 s and 0 s; the last of them ends at 60 s, so its last timestamp is 59.999 s and it takes late
     * data until the watermark reaches 59.999 s + 30 s = 89.999 s.
     */
    private static final Instant LAST_WINDOW_CLOSED = TestInstants.BEGINNING.plusMillis(89_999);

    @Test
    void aSpanPastTheAllowedLatenessGoesToTheLateOutputAndIsNotAttributed() throws Exception {
        routedArrives(routedTask());
        harness.processWatermark(LAST_WINDOW_CLOSED.toEpochMilli());
        ResultSpan late = span(TASK).endedAt(SPAN_ENDED).build();
        spanArrives(late);

        assertThat(harness.getSideOutput(SpanTaskJoin.LATE)).extracting(StreamRecord::getValue).containsExactly(late);
        assertThat(attributions()).isEmpty();
        assertThat(harness.getSideOutput(SpanTaskJoin.UNMATCHED)).isNullOrEmpty();
        assertNothingKept();
    }

    @Test
    void aLateSpanWithinTheAllowedLatenessIsStillAttributed() throws Exception {
        routedArrives(routedTask());
        harness.processWatermark(LAST_WINDOW_CLOSED.toEpochMilli() - 1);
        spanArrives(span(TASK).endedAt(SPAN_ENDED).build());

        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.SPAN);
        assertThat(harness.getSideOutput(SpanTaskJoin.LATE)).isNullOrEmpty();
        assertNothingKept();
    }

    @Test
    void aWaitingSpanWhoseRoutedAttemptComesTooLateGoesToTheLateOutput() throws Exception {
        ResultSpan waiting = span(TASK).endedAt(SPAN_ENDED).build();
        spanArrives(waiting);
        harness.processWatermark(LAST_WINDOW_CLOSED.toEpochMilli());
        routedArrives(routedTask());
        harness.processWatermark(LAST_WINDOW_CLOSED.toEpochMilli() + 1);

        assertThat(harness.getSideOutput(SpanTaskJoin.LATE)).extracting(StreamRecord::getValue).containsExactly(waiting);
        assertThat(attributions()).isEmpty();
        assertNothingKept();
    }

    // ---- configuration ---------------------------------------------------------------------------

    @Test
    void aStuckTimeoutBeyondTheJoinBoundIsRefused() {
        assertThatThrownBy(() -> new SpanTaskJoin(Duration.ofMinutes(5), Duration.ofMinutes(6), WINDOWS, FRONTIER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("join bound");
    }

    @Test
    void aStuckTimeoutEqualToTheJoinBoundReportsStuckAndForgetsAtOnce() throws Exception {
        harness.close();
        harness = newHarness(new SpanTaskJoin(STUCK_AFTER, STUCK_AFTER, WINDOWS, FRONTIER));
        routedArrives(routedTask());
        harness.processWatermark(STUCK_AT.toEpochMilli());

        assertThat(onlyStuck().getDeclaredStuckAt()).isEqualTo(STUCK_AT);
        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.STUCK);
        assertNothingKept();
    }

    // ---- deferred timers (SpanTaskJoinOperator) ------------------------------------------------------

    @Test
    void anAttemptMatchedBeforeItsDeadlineNeverRegistersATimer() throws Exception {
        routedArrives(routedTask());
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());
        harness.processWatermark(STUCK_AT.toEpochMilli());
        harness.prepareSnapshotPreBarrier(0);

        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.SPAN);
        assertNothingKept();
    }

    @Test
    void aWaitingAttemptsTimerIsRegisteredOnceTheWatermarkIsTheGracePastTheAttempt() throws Exception {
        long routedAt = ROUTED_AT.toEpochMilli();
        long grace = SpanTaskJoinOperator.SETTLE_GRACE.toMillis();
        harness.processWatermark(routedAt - 30_000);
        routedArrives(routedTask());

        harness.processWatermark(routedAt + grace - 1);
        assertThat(harness.numEventTimeTimers()).as("within the grace: only noted").isZero();

        harness.processWatermark(routedAt + grace);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(attributions()).isEmpty();

        harness.processWatermark(STUCK_AT.toEpochMilli());
        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.STUCK);
        assertThat(onlyAttributionRecord().getTimestamp()).isEqualTo(STUCK_AT.toEpochMilli());
    }

    @Test
    void aWatermarkJumpingPastANotedDeadlineStillFiresItsTimerInThatStep() throws Exception {
        harness.processWatermark(ROUTED_AT.toEpochMilli());
        routedArrives(routedTask());
        assertThat(harness.numEventTimeTimers()).isZero();

        // registered just before the timer service moves to this watermark
        harness.processWatermark(STUCK_AT.toEpochMilli());

        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.STUCK);
        assertThat(onlyAttributionRecord().getTimestamp()).isEqualTo(STUCK_AT.toEpochMilli());
    }

    @Test
    void anAttemptThatComesTheGraceBehindTheWatermarkHasItsTimerRegisteredAtOnce() throws Exception {
        harness.processWatermark(ROUTED_AT.plus(SpanTaskJoinOperator.SETTLE_GRACE).toEpochMilli());

        routedArrives(routedTask());

        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());
        assertNothingKept();
    }

    @Test
    void aTimerNotedForAnEarlierWaitDoesNotFireForALaterOne() throws Exception {
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());
        routedArrives(routedTask());
        // the same attempt routed again after its match waits anew, with its own deadline
        routedArrives(routed(plannerTask()).at(ROUTED_AT.plusSeconds(30)).build());
        harness.processWatermark(ROUTED_AT.plusSeconds(30).plus(SpanTaskJoinOperator.SETTLE_GRACE).toEpochMilli());

        assertThat(harness.numEventTimeTimers()).as("only the new wait's stuck timer").isEqualTo(1);
    }

    @Test
    void aRegisteredTimerIsDeletedWhenTheSpanArrives() throws Exception {
        routedArrives(routedTask());
        harness.processWatermark(ROUTED_AT.plus(SpanTaskJoinOperator.SETTLE_GRACE).toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());

        assertThat(onlyAttribution().kind).isEqualTo(AttributionKind.SPAN);
        assertNothingKept();
    }

    @Test
    void aCheckpointBarrierRegistersNoNotedTimer() throws Exception {
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());
        harness.prepareSnapshotPreBarrier(0);
        harness.snapshot(0, 0);

        assertThat(harness.numEventTimeTimers()).as("still only noted").isZero();
        harness.processWatermark(UNMATCHED_AT.toEpochMilli());
        assertThat(unmatchedSpans()).hasSize(1);
        assertNothingKept();
    }

    @Test
    void aNoteIsDueNoEarlierThanTheOneBeforeItYetBeforeItsDeadline() throws Exception {
        // an attempt routed well after another is noted first: the earlier attempt's note is due with the later
        // one's, still long before its stuck deadline
        routedArrives(routed(task("later").build()).at(ROUTED_AT.plus(Duration.ofMinutes(2))).build());
        routedArrives(routedTask());

        harness.processWatermark(ROUTED_AT.plus(SpanTaskJoinOperator.SETTLE_GRACE).toEpochMilli());
        assertThat(harness.numEventTimeTimers()).as("queued behind the later attempt's note").isZero();
        harness.processWatermark(ROUTED_AT.plus(Duration.ofMinutes(2)).plus(SpanTaskJoinOperator.SETTLE_GRACE).toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(STUCK_AT.toEpochMilli());
        assertThat(onlyStuck().getRoutedAt()).isEqualTo(ROUTED_AT);
    }

    @Test
    void aStuckTimeoutWithinTheGraceIsRegisteredAtOnce() throws Exception {
        harness.close();
        Duration shortStuck = SpanTaskJoinOperator.SETTLE_GRACE.dividedBy(2);
        harness = newHarness(new SpanTaskJoin(JOIN_BOUND, shortStuck, WINDOWS, FRONTIER));

        routedArrives(routedTask());

        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(ROUTED_AT.plus(shortStuck).toEpochMilli());
        assertThat(onlyStuck().getRoutedAt()).isEqualTo(ROUTED_AT);
    }

    // ---- restore ---------------------------------------------------------------------------------

    @Test
    void aRestoredSnapshotKeepsAWaitingRoutedAttempt() throws Exception {
        routedArrives(routedTask());
        OperatorSubtaskState snapshot = harness.snapshot(0, 0);
        harness.close();

        harness = restoredHarness(snapshot);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("registered from the state on restore").isEqualTo(1);
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());

        Attribution attribution = onlyAttribution();
        assertThat(attribution.kind).isEqualTo(AttributionKind.SPAN);
        assertThat(attribution.role).isEqualTo("planner");
        assertThat(attribution.costMicros).isEqualTo(300);
        assertNothingKept();
    }

    @Test
    void aRestoredSnapshotKeepsAWaitingSpanAndItsTimer() throws Exception {
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());
        OperatorSubtaskState snapshot = harness.snapshot(0, 0);
        harness.close();

        harness = restoredHarness(snapshot);
        routedArrives(routedTask());
        harness.processWatermark(SPAN_ENDED.toEpochMilli());

        assertThat(onlyAttribution().costMicros).isEqualTo(300);
        assertNothingKept();
    }

    @Test
    void aSpanOnlyNotedAtTheCheckpointIsStillUnmatchedAtTheJoinBoundAfterARestore() throws Exception {
        spanArrives(span(TASK).cost(300).endedAt(SPAN_ENDED).build());
        assertThat(harness.numEventTimeTimers()).as("only noted").isZero();
        OperatorSubtaskState snapshot = harness.snapshot(0, 0);
        harness.close();

        harness = restoredHarness(snapshot);
        harness.processWatermark(UNMATCHED_AT.toEpochMilli());

        assertThat(unmatchedSpans()).hasSize(1);
        assertNothingKept();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static KeyedOneInputStreamOperatorTestHarness<String, JoinInput, Attribution> newHarness() throws Exception {
        return newHarness(new SpanTaskJoin(JOIN_BOUND, STUCK_AFTER, WINDOWS, FRONTIER));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, JoinInput, Attribution> newHarness(SpanTaskJoin join) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new SpanTaskJoinOperator(join), JoinInput::attemptKey, Types.STRING);
        harness.open();
        return harness;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, JoinInput, Attribution> restoredHarness(OperatorSubtaskState snapshot)
            throws Exception {
        var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new SpanTaskJoinOperator(new SpanTaskJoin(JOIN_BOUND, STUCK_AFTER, WINDOWS, FRONTIER)),
                JoinInput::attemptKey, Types.STRING);
        restored.setup();
        restored.initializeState(snapshot);
        restored.open();
        return restored;
    }

    private static dev.tierflow.schemas.AgentTask plannerTask() {
        return task(TASK).role("planner").type("summarize").tenant("globex").build();
    }

    /** Attempt 0 of a planner's summarize task for globex, routed to the small tier at {@link #ROUTED_AT}. */
    private static RoutedTask routedTask() {
        return routed(plannerTask()).tier("small", "small-model").at(ROUTED_AT).build();
    }

    private void routedArrives(RoutedTask routed) throws Exception {
        harness.processElement(JoinInput.routed(RoutedRef.of(routed)), routed.getRoutedAt().toEpochMilli());
    }

    private void spanArrives(ResultSpan span) throws Exception {
        harness.processElement(JoinInput.span(span), span.getEndedAt().toEpochMilli());
    }

    private List<Attribution> attributions() {
        return harness.extractOutputValues();
    }

    private Attribution onlyAttribution() {
        assertThat(attributions()).hasSize(1);
        return attributions().get(0);
    }

    private StreamRecord<? extends Attribution> onlyAttributionRecord() {
        var records = harness.extractOutputStreamRecords();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private StuckTask onlyStuck() {
        assertThat(harness.getSideOutput(SpanTaskJoin.STUCK)).hasSize(1);
        return harness.getSideOutput(SpanTaskJoin.STUCK).peek().getValue();
    }

    private List<ResultSpan> unmatchedSpans() {
        var records = harness.getSideOutput(SpanTaskJoin.UNMATCHED);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private void assertNothingKept() {
        assertThat(harness.numKeyedStateEntries()).as("keyed state entries").isZero();
        assertThat(harness.numEventTimeTimers()).as("event-time timers").isZero();
    }
}
