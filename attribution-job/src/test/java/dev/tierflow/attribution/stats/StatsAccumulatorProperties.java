package dev.tierflow.attribution.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.AttributionKind;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Flink merges partial accumulators in any grouping (sessions, pre-aggregation): the totals must not depend on it. */
class StatsAccumulatorProperties {

    @Property
    void anySplitMergedGivesTheTotalsOfOneAccumulator(@ForAll("attributions") @Size(max = 40) List<Attribution> attributions,
                                                       @ForAll @IntRange(min = 0, max = 40) int splitAt) {
        int split = Math.min(splitAt, attributions.size());
        StatsAccumulator one = StatsAccumulatorTest.accumulatorOf(attributions);
        StatsAccumulator merged = StatsAccumulatorTest.accumulatorOf(attributions.subList(0, split))
                .merge(StatsAccumulatorTest.accumulatorOf(attributions.subList(split, attributions.size())));

        StatsAccumulatorTest.assertSameTotals(merged, one);
        // the latency sketch merges exactly
        assertThat(merged.latencyQuantile(0.5)).isEqualTo(one.latencyQuantile(0.5));
        assertThat(merged.latencyQuantile(0.95)).isEqualTo(one.latencyQuantile(0.95));
    }

    @Property
    void costSumsAreExact(@ForAll("attributions") @Size(max = 40) List<Attribution> attributions,
                          @ForAll @IntRange(min = 0, max = 40) int splitAt) {
        int split = Math.min(splitAt, attributions.size());
        StatsAccumulator merged = StatsAccumulatorTest.accumulatorOf(attributions.subList(0, split))
                .merge(StatsAccumulatorTest.accumulatorOf(attributions.subList(split, attributions.size())));

        // a stuck attempt has no spend; every other attribution adds its micro-dollars, to the unit
        List<Attribution> measured = attributions.stream().filter(a -> a.kind != AttributionKind.STUCK).toList();
        assertThat(merged.costMicros).isEqualTo(measured.stream().mapToLong(a -> a.costMicros).sum());
        assertThat(merged.frontierCostMicros).isEqualTo(measured.stream().mapToLong(a -> a.frontierCostMicros).sum());
        assertThat(merged.count).isEqualTo(measured.size());
        assertThat(merged.stuck).isEqualTo(attributions.size() - measured.size());
    }

    @Provide
    Arbitrary<List<Attribution>> attributions() {
        return attribution().list();
    }

    private static Arbitrary<Attribution> attribution() {
        return Builders.withBuilder(Attribution::new)
                .use(Arbitraries.of(AttributionKind.class)).in((a, kind) -> with(a, () -> a.kind = kind))
                .use(Arbitraries.longs().between(0, 1_000_000)).in((a, tokens) -> with(a, () -> a.inputTokens = tokens))
                .use(Arbitraries.longs().between(0, 100_000)).in((a, tokens) -> with(a, () -> a.outputTokens = tokens))
                // up to $1,000,000 per span: 40 of them still fit a long many times over
                .use(Arbitraries.longs().between(0, 1_000_000_000_000L)).in((a, cost) -> with(a, () -> a.costMicros = cost))
                .use(Arbitraries.longs().between(0, 1_000_000_000_000L)).in((a, cost) -> with(a, () -> a.frontierCostMicros = cost))
                .use(Arbitraries.doubles().between(0, 1).injectNull(0.3)).in((a, q) -> with(a, () -> a.quality = q))
                .use(Arbitraries.of(true, false).injectNull(0.3)).in((a, passed) -> with(a, () -> a.checkPassed = passed))
                .use(Arbitraries.of(true, false)).in((a, escalated) -> with(a, () -> a.escalated = escalated))
                .use(Arbitraries.of(true, false)).in((a, error) -> with(a, () -> a.error = error))
                .use(Arbitraries.longs().between(0, 120_000)).in((a, latency) -> with(a, () -> a.latencyMs = latency))
                .build();
    }

    private static Attribution with(Attribution a, Runnable set) {
        set.run();
        return a;
    }
}
