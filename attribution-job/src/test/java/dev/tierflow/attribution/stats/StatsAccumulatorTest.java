package dev.tierflow.attribution.stats;

import dev.tierflow.schemas.StatsScopes;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.testing.ResultSpanBuilder;
import dev.tierflow.testing.TestInstants;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsAccumulatorTest {

    private static final RoutedRef ROUTED = RoutedRef.of(routed(task("task-1").build()).build());

    private static final Attribution PASSED = joined(span("a").tokens(1_000, 200).cost(1_234_567).quality(0.9).checkPassed(true)
            .latency(Duration.ofMillis(800)), 6_000);
    private static final Attribution FAILED_ESCALATED = joined(span("b").tokens(2_000, 400).cost(2_000_001).quality(0.4)
            .checkPassed(false).escalated(true).latency(Duration.ofMillis(1_200)), 12_000);
    private static final Attribution ERROR_UNCHECKED = joined(span("c").tokens(3_000, 600).cost(3).quality(null).checkPassed(null)
            .status(SpanStatus.ERROR).latency(Duration.ofMillis(3_000)), 18_000);
    private static final Attribution STUCK = Attribution.ofStuck(ROUTED, TestInstants.FIVE_MINUTES_LATER.toEpochMilli());
    private static final Attribution UNMATCHED = Attribution.ofUnmatched(span("d").tokens(100, 10).cost(50)
            .latency(Duration.ofMillis(400)).endedAt(TestInstants.BEGINNING).build(), 450);

    private static final List<Attribution> ALL = List.of(PASSED, FAILED_ESCALATED, ERROR_UNCHECKED, STUCK, UNMATCHED);

    @Test
    void addingSumsEveryMeasure() {
        StatsAccumulator acc = accumulatorOf(ALL);

        // spans and unmatched spans have measures (a, b, c, d); a stuck attempt only counts as stuck
        assertThat(acc.count).isEqualTo(4);
        assertThat(acc.inputTokens).isEqualTo(1_000 + 2_000 + 3_000 + 100);
        assertThat(acc.outputTokens).isEqualTo(200 + 400 + 600 + 10);
        assertThat(acc.costMicros).isEqualTo(3_234_621L); // 1,234,567 + 2,000,001 + 3 + 50
        assertThat(acc.frontierCostMicros).isEqualTo(36_450L); // 6,000 + 12,000 + 18,000 + 450
        assertThat(acc.qualitySamples).isEqualTo(3); // a, b and d (the builder's default 0.9); c has none
        assertThat(acc.qualitySum).isCloseTo(0.9 + 0.4 + 0.9, within(1e-12));
        assertThat(acc.checked).isEqualTo(3); // c was not checked
        assertThat(acc.checkPassed).isEqualTo(2); // a and d
        assertThat(acc.escalated).isEqualTo(1);
        assertThat(acc.errors).isEqualTo(1);
        assertThat(acc.stuck).isEqualTo(1);
        assertThat(acc.unmatched).isEqualTo(1);
        assertThat(acc.latency.getCount()).isEqualTo(4.0);
        // latencies 400, 800, 1,200, 3,000: the lowest and highest within 1 %
        assertThat(acc.latencyQuantile(0.0)).isCloseTo(400.0, within(4.0));
        assertThat(acc.latencyQuantile(1.0)).isCloseTo(3_000.0, within(30.0));
    }

    @Test
    void mergingEqualsAddingEverythingToOne() {
        StatsAccumulator one = accumulatorOf(ALL);
        StatsAccumulator merged = accumulatorOf(ALL.subList(0, 2)).merge(accumulatorOf(ALL.subList(2, ALL.size())));

        assertSameTotals(merged, one);
        assertThat(merged.latencyQuantile(0.5)).isEqualTo(one.latencyQuantile(0.5));
        assertThat(merged.latencyQuantile(0.95)).isEqualTo(one.latencyQuantile(0.95));
    }

    @Test
    void anEmptyAccumulatorTakesTheScopeOfWhatItIsMergedWith() {
        Attribution scoped = PASSED.inScope(StatsScopes.role("worker"), "worker", null, null, null, null);
        StatsAccumulator merged = new StatsAccumulator().merge(accumulatorOf(List.of(scoped)));

        assertThat(merged.scope).isEqualTo("role=worker");
        assertThat(merged.role).isEqualTo("worker");
        assertThat(merged.count).isEqualTo(1);
        assertThat(merged.costMicros).isEqualTo(1_234_567);
    }

    @Test
    void mergingAnEmptyAccumulatorChangesNothing() {
        StatsAccumulator merged = accumulatorOf(ALL).merge(new StatsAccumulator());

        assertSameTotals(merged, accumulatorOf(ALL));
    }

    @Test
    void anAccumulatorWithoutSpansHasNoLatency() {
        assertThat(accumulatorOf(List.of(STUCK)).latencyQuantile(0.5)).isNull();
        assertThat(new StatsAccumulator().latencyQuantile(0.5)).isNull();
    }

    @Test
    void aSumThatWouldOverflowStaysAtTheLargestLongInsteadOfWrappingAroundOrFailingTheJob() {
        Attribution huge = joined(span("huge").cost(Long.MAX_VALUE - 1).tokens(Long.MAX_VALUE, 1), 0);
        StatsAccumulator acc = accumulatorOf(List.of(huge));

        acc.add(huge);
        acc.merge(accumulatorOf(List.of(huge)));

        assertThat(acc.count).isEqualTo(3);
        assertThat(acc.costMicros).isEqualTo(Long.MAX_VALUE);
        assertThat(acc.inputTokens).isEqualTo(Long.MAX_VALUE);
        assertThat(acc.outputTokens).isEqualTo(3);
    }

    static StatsAccumulator accumulatorOf(List<Attribution> attributions) {
        StatsAccumulator acc = new StatsAccumulator();
        attributions.forEach(acc::add);
        return acc;
    }

    static void assertSameTotals(StatsAccumulator actual, StatsAccumulator expected) {
        assertThat(actual.count).isEqualTo(expected.count);
        assertThat(actual.inputTokens).isEqualTo(expected.inputTokens);
        assertThat(actual.outputTokens).isEqualTo(expected.outputTokens);
        assertThat(actual.costMicros).isEqualTo(expected.costMicros);
        assertThat(actual.frontierCostMicros).isEqualTo(expected.frontierCostMicros);
        assertThat(actual.qualitySamples).isEqualTo(expected.qualitySamples);
        assertThat(actual.qualitySum).isCloseTo(expected.qualitySum, within(1e-9));
        assertThat(actual.checked).isEqualTo(expected.checked);
        assertThat(actual.checkPassed).isEqualTo(expected.checkPassed);
        assertThat(actual.escalated).isEqualTo(expected.escalated);
        assertThat(actual.errors).isEqualTo(expected.errors);
        assertThat(actual.stuck).isEqualTo(expected.stuck);
        assertThat(actual.unmatched).isEqualTo(expected.unmatched);
        assertThat(actual.latency == null ? 0.0 : actual.latency.getCount())
                .isEqualTo(expected.latency == null ? 0.0 : expected.latency.getCount());
    }

    private static Attribution joined(ResultSpanBuilder span, long frontierCostMicros) {
        return Attribution.ofSpan(ROUTED, span.endedAt(TestInstants.BEGINNING).build(), frontierCostMicros);
    }
}
