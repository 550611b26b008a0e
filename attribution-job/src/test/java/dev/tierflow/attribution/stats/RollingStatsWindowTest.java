package dev.tierflow.attribution.stats;

import dev.tierflow.schemas.StatsScopes;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tierflow.attribution.AttributionJob;
import dev.tierflow.attribution.FrontierPricing;
import dev.tierflow.attribution.WindowSpec;
import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.policy.price.ModelPrice;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.testing.ResultSpanBuilder;
import dev.tierflow.testing.TestInstants;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rolling statistics exactly as {@link AttributionJob#defineWorkflow} wires them (slide-long panes
 * with their lateness, then sliding windows merged from the panes), taken out of the job graph and
 * driven in keyed operator harnesses with attributions already fanned out to their scopes.
 *
 * <p>Windows here are 60 s long every 20 s and take late data for 30 s. {@link TestInstants#BEGINNING}
 * is minute-aligned, so "+5 s" means 5 s after a window start; an event at +t counts in the three
 * windows starting at the multiples of 20 s in (t − 60 s, t].
 */
class RollingStatsWindowTest {

    private static final WindowSpec WINDOWS = new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(30));
    private static final Instant T0 = TestInstants.BEGINNING;

    private static final String WORKER = StatsScopes.role("worker");
    private static final String WORKER_EXTRACT_SMALL = StatsScopes.roleTypeTier("worker", "extract", "small");
    private static final String ACME = StatsScopes.tenant("acme");

    private RollingStatsHarness harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = windowOperatorOfTheJob();
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    // ---- what a window adds up -------------------------------------------------------------------

    @Test
    void aWindowAddsUpItsSpansExactly() throws Exception {
        // three worker/extract spans in the window [0 s, 60 s)
        counted(joined(span("a").tokens(1_000, 200).cost(1_234_567).quality(0.9).checkPassed(true)
                .latency(Duration.ofMillis(800)).endedAt(T0.plusSeconds(5)), 6_000));
        counted(joined(span("b").tokens(2_000, 400).cost(2_000_001).quality(0.5).checkPassed(false).escalated(true)
                .latency(Duration.ofMillis(1_200)).endedAt(T0.plusSeconds(25)), 12_000));
        counted(joined(span("c").tier("medium", "medium-model").tokens(3_000, 600).cost(3).quality(null).checkPassed(null)
                .status(SpanStatus.ERROR).latency(Duration.ofMillis(3_000)).endedAt(T0.plusSeconds(45)), 18_000));

        harness.processWatermark(windowMaxTimestamp(0, 60));

        CostQualityStats worker = stats(WORKER, 0, 60);
        assertThat(worker.getRole()).isEqualTo("worker");
        assertThat(worker.getTaskType()).isNull();
        assertThat(worker.getTenant()).isNull();
        assertThat(worker.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(worker.getCount()).isEqualTo(3);
        assertThat(worker.getInputTokens()).isEqualTo(1_000 + 2_000 + 3_000);
        assertThat(worker.getOutputTokens()).isEqualTo(200 + 400 + 600);
        assertThat(worker.getCostMicros()).isEqualTo(3_234_571L); // 1,234,567 + 2,000,001 + 3
        assertThat(worker.getFrontierCostMicros()).isEqualTo(36_000L); // 6,000 + 12,000 + 18,000
        assertThat(worker.getQualitySamples()).isEqualTo(2); // c has no quality
        assertThat(worker.getQualityMean()).isCloseTo(0.7, within(1e-12)); // (0.9 + 0.5) / 2
        assertThat(worker.getCheckPassRate()).isEqualTo(0.5); // a passed, b failed, c not checked
        assertThat(worker.getEscalationRate()).isCloseTo(1.0 / 3, within(1e-12)); // b of three
        assertThat(worker.getErrorRate()).isCloseTo(1.0 / 3, within(1e-12)); // c of three
        assertThat(worker.getLatencyP50Ms()).isCloseTo(1_200.0, within(12.0)); // the middle of 800, 1,200, 3,000 (1 %)
        assertThat(worker.getStuckCount()).isZero();
        assertThat(worker.getUnmatchedCount()).isZero();
        // the latest slice of [0 s, 60 s) is [40 s, 60 s): only c, which has no quality
        assertThat(worker.getLatestSliceQualityMean()).isNull();
        assertThat(worker.getLatestSliceQualitySamples()).isZero();
        // the latest slice of [−20 s, 40 s) is [20 s, 40 s): only b, quality 0.5
        CostQualityStats earlier = stats(WORKER, -20, 40);
        assertThat(earlier.getLatestSliceQualityMean()).isEqualTo(0.5);
        assertThat(earlier.getLatestSliceQualitySamples()).isEqualTo(1);

        // the tier scope only sees a and b; the tenant scope sees all three
        CostQualityStats small = stats(WORKER_EXTRACT_SMALL, 0, 60);
        assertThat(small.getTier()).isEqualTo("small");
        assertThat(small.getCount()).isEqualTo(2);
        assertThat(small.getCostMicros()).isEqualTo(3_234_568L); // 1,234,567 + 2,000,001
        assertThat(stats(StatsScopes.roleTypeTier("worker", "extract", "medium"), 0, 60).getCostMicros()).isEqualTo(3);
        CostQualityStats acme = stats(ACME, 0, 60);
        assertThat(acme.getTenant()).isEqualTo("acme");
        assertThat(acme.getRole()).isNull();
        assertThat(acme.getCount()).isEqualTo(3);
    }

    @Test
    void latencyPercentilesAreWithinOnePercent() throws Exception {
        // 21 spans at 100, 200, ..., 2,100 ms: the median is the 11th (1,100 ms), p95 the 20th (rank 0.95 × 20 = 19 from 0: 2,000 ms)
        for (int i = 1; i <= 21; i++) {
            counted(joined(span("task-" + i).latency(Duration.ofMillis(100L * i)).endedAt(T0.plusSeconds(30)), 0));
        }
        harness.processWatermark(windowMaxTimestamp(0, 60));

        CostQualityStats worker = stats(WORKER, 0, 60);
        assertThat(worker.getCount()).isEqualTo(21);
        assertThat(worker.getLatencyP50Ms()).isCloseTo(1_100.0, within(11.0));
        assertThat(worker.getLatencyP95Ms()).isCloseTo(2_000.0, within(20.0));
    }

    @Test
    void aWindowWithNothingCheckedHasNoPassRate() throws Exception {
        counted(joined(span("a").checkPassed(null).quality(null).endedAt(T0.plusSeconds(5)), 0));
        harness.processWatermark(windowMaxTimestamp(0, 60));

        CostQualityStats worker = stats(WORKER, 0, 60);
        assertThat(worker.getCheckPassRate()).isNull();
        assertThat(worker.getQualityMean()).isNull();
        assertThat(worker.getQualitySamples()).isZero();
    }

    @Test
    void stuckAttemptsCountPerScopeWithoutSpend() throws Exception {
        RoutedRef routed = RoutedRef.of(routed(task("task-1").build()).at(T0).build());
        counted(Attribution.ofStuck(routed, T0.plusSeconds(10).toEpochMilli()));
        counted(joined(span("task-2").cost(300).endedAt(T0.plusSeconds(15)), 0));
        harness.processWatermark(windowMaxTimestamp(0, 60));

        CostQualityStats worker = stats(WORKER, 0, 60);
        assertThat(worker.getStuckCount()).isEqualTo(1);
        assertThat(worker.getCount()).isEqualTo(1); // the span only: a stuck attempt has no span
        assertThat(worker.getCostMicros()).isEqualTo(300);
        assertThat(stats(WORKER_EXTRACT_SMALL, 0, 60).getStuckCount()).isEqualTo(1);
        assertThat(stats(ACME, 0, 60).getStuckCount()).isEqualTo(1);
    }

    @Test
    void aWindowWithOnlyAStuckAttemptHasZeroRatesAndNoLatency() throws Exception {
        RoutedRef routed = RoutedRef.of(routed(task("task-1").build()).at(T0).build());
        counted(Attribution.ofStuck(routed, T0.plusSeconds(10).toEpochMilli()));
        harness.processWatermark(windowMaxTimestamp(0, 60));

        CostQualityStats worker = stats(WORKER, 0, 60);
        assertThat(worker.getCount()).isZero();
        assertThat(worker.getStuckCount()).isEqualTo(1);
        assertThat(worker.getEscalationRate()).isZero();
        assertThat(worker.getErrorRate()).isZero();
        assertThat(worker.getLatencyP50Ms()).isNull();
        assertThat(worker.getLatencyP95Ms()).isNull();
    }

    @Test
    void unmatchedSpansCountPerModelOnly() throws Exception {
        ResultSpan orphan = span("orphan").tokens(1_000, 200).cost(300).endedAt(T0.plusSeconds(5)).build();
        counted(Attribution.ofUnmatched(orphan, 6_000));
        harness.processWatermark(windowMaxTimestamp(0, 60));

        List<CostQualityStats> all = allStats();
        assertThat(all).extracting(CostQualityStats::getScope).containsOnly(StatsScopes.model("small-model"));
        CostQualityStats model = stats(StatsScopes.model("small-model"), 0, 60);
        assertThat(model.getModel()).isEqualTo("small-model");
        assertThat(model.getRole()).isNull();
        assertThat(model.getTenant()).isNull();
        assertThat(model.getUnmatchedCount()).isEqualTo(1);
        assertThat(model.getCount()).isEqualTo(1);
        assertThat(model.getCostMicros()).isEqualTo(300);
        assertThat(model.getFrontierCostMicros()).isEqualTo(6_000);
    }

    // ---- sliding ---------------------------------------------------------------------------------

    @Test
    void aSpanCountsInEveryWindowThatCoversIt() throws Exception {
        // +25 s lies in [−20 s, 40 s), [0 s, 60 s) and [20 s, 80 s); +45 s in [0 s, 60 s), [20 s, 80 s) and [40 s, 100 s)
        counted(joined(span("a").cost(100).endedAt(T0.plusSeconds(25)), 0));
        counted(joined(span("b").cost(10).endedAt(T0.plusSeconds(45)), 0));
        harness.processWatermark(windowMaxTimestamp(40, 100));

        assertThat(costPerWindow(WORKER)).containsExactly(
                new WindowCost(-20, 40, 100),
                new WindowCost(0, 60, 110),
                new WindowCost(20, 80, 110),
                new WindowCost(40, 100, 10));
    }

    @Test
    void aWindowFiresOnlyWhenTheWatermarkPassesItsEnd() throws Exception {
        counted(joined(span("a").endedAt(T0.plusSeconds(5)), 0));

        harness.processWatermark(windowMaxTimestamp(0, 60) - 1);
        assertThat(costPerWindow(WORKER)).extracting(WindowCost::startSecond).containsExactly(-40, -20);

        harness.processWatermark(windowMaxTimestamp(0, 60));
        assertThat(costPerWindow(WORKER)).extracting(WindowCost::startSecond).containsExactly(-40, -20, 0);
    }

    // ---- lateness --------------------------------------------------------------------------------

    @Test
    void aLateButAllowedSpanFiresItsWindowsAgainWithTheNewTotal() throws Exception {
        counted(joined(span("a").cost(100).endedAt(T0.plusSeconds(5)), 0));
        harness.processWatermark(windowMaxTimestamp(0, 60));
        assertThat(costPerWindow(WORKER)).containsExactly(
                new WindowCost(-40, 20, 100), new WindowCost(-20, 40, 100), new WindowCost(0, 60, 100));
        harness.clearOutput();

        // a span at +10 s arrives with the watermark at 59.999 s: [−40 s, 20 s) is past its lateness
        // (19.999 s + 30 s = 49.999 s), [−20 s, 40 s) (until 69.999 s) and [0 s, 60 s) (until 89.999 s) fire again
        counted(joined(span("late").cost(7).endedAt(T0.plusSeconds(10)), 0));
        assertThat(costPerWindow(WORKER)).containsExactlyInAnyOrder(new WindowCost(-20, 40, 107), new WindowCost(0, 60, 107));
    }

    @Test
    void aSpanPastTheAllowedLatenessIsDroppedAndAllStateIsGone() throws Exception {
        counted(joined(span("a").cost(100).endedAt(T0.plusSeconds(5)), 0));
        // the last window of +5 s is [0 s, 60 s): its state goes at 59.999 s + 30 s
        long lastCleanup = windowMaxTimestamp(0, 60) + WINDOWS.allowedLateness().toMillis();

        harness.processWatermark(lastCleanup - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(lastCleanup);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        harness.clearOutput();
        counted(joined(span("too-late").cost(7).endedAt(T0.plusSeconds(5)), 0));
        assertThat(allStats()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The production operators, taken from the graph {@link AttributionJob#defineWorkflow} builds. */
    private static RollingStatsHarness windowOperatorOfTheJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var input = env.fromData(TypeInformation.of(JoinInput.class),
                JoinInput.routed(RoutedRef.of(routed(task("task-0").build()).build())));
        FrontierPricing frontier = new FrontierPricing("frontier", "frontier-model",
                new ModelPrice(new BigDecimal("3.00"), new BigDecimal("15.00"), new BigDecimal("0.30")));
        var outputs = AttributionJob.defineWorkflow(input,
                new AttributionJob.Parameters(WINDOWS, Duration.ofMinutes(15), Duration.ofMinutes(5), frontier));
        return new RollingStatsHarness(outputs.stats());
    }

    /** A worker/extract span for acme, joined to its routed attempt, with the frontier cost it would have had. */
    private static Attribution joined(ResultSpanBuilder span, long frontierCostMicros) {
        ResultSpan built = span.build();
        RoutedRef routed = RoutedRef.of(routed(task(built.getTaskId()).build()).at(T0).build());
        return Attribution.ofSpan(routed, built, frontierCostMicros);
    }

    /** Feeds the attribution at its event time; the job's pre-aggregator fans it out to its scopes. */
    private void counted(Attribution attribution) throws Exception {
        harness.processElement(attribution, attribution.eventTimeMillis);
    }

    private static long windowMaxTimestamp(int startSecond, int endSecond) {
        return T0.plusSeconds(endSecond).toEpochMilli() - 1;
    }

    private List<CostQualityStats> allStats() {
        return harness.extractOutputValues();
    }

    /** The last firing of the scope's window [start, end), in seconds after {@link #T0}. */
    private CostQualityStats stats(String scope, int startSecond, int endSecond) {
        List<CostQualityStats> firings = allStats().stream()
                .filter(s -> s.getScope().equals(scope))
                .filter(s -> s.getWindowStart().equals(T0.plusSeconds(startSecond)) && s.getWindowEnd().equals(T0.plusSeconds(endSecond)))
                .toList();
        assertThat(firings).as("firings of %s in [%d s, %d s)", scope, startSecond, endSecond).isNotEmpty();
        return firings.get(firings.size() - 1);
    }

    record WindowCost(int startSecond, int endSecond, long costMicros) {
    }

    private List<WindowCost> costPerWindow(String scope) {
        return allStats().stream()
                .filter(s -> s.getScope().equals(scope))
                .map(s -> new WindowCost(seconds(s.getWindowStart()), seconds(s.getWindowEnd()), s.getCostMicros()))
                .toList();
    }

    private static int seconds(Instant at) {
        return (int) Duration.between(T0, at).toSeconds();
    }
}
