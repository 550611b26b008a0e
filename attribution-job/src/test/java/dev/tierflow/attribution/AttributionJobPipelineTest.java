package dev.tierflow.attribution;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.policy.price.ModelPrice;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.StuckTask;
import dev.tierflow.testing.TestInstants;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole workflow on a Flink MiniCluster, from a small multi-agent story with named event times
 * to the statistics and side outputs. Windows of 60 s sliding by 20 s: every span counts in 3 windows.
 */
class AttributionJobPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T = TestInstants.BEGINNING; // 09:00:00, a multiple of the 20 s slide
    private static final Duration STUCK_AFTER = Duration.ofMinutes(2);
    private static final Duration JOIN_BOUND = Duration.ofMinutes(5);
    /** Frontier prices: 3 USD per million input tokens, 15 per million output tokens (= micro-dollars per token). */
    private static final FrontierPricing FRONTIER = new FrontierPricing("frontier", "frontier-model",
            new ModelPrice(new BigDecimal("3.00"), new BigDecimal("15.00"), new BigDecimal("0.30")));

    private static List<CostQualityStats> stats;
    private static List<StuckTask> stuck;
    private static List<ResultSpan> unmatched;
    private static List<ResultSpan> late;
    private static List<DeadLetter> deadLetters;

    @BeforeAll
    static void runTheStory() throws Exception {
        List<JoinInput> story = List.of(
                routedAt(T.plusSeconds(1), "p1", "planner", "plan", "frontier", "frontier-model"),
                routedAt(T.plusSeconds(2), "w1", "worker", "extract", "small", "small-model"),
                routedAt(T.plusSeconds(3), "w2", "worker", "extract", "small", "small-model"),
                JoinInput.span(span("p1").of("planner", "plan", "acme").tier("frontier", "frontier-model")
                        .tokens(1_000, 500).cost(9_000).quality(0.95).checkPassed(true).endedAt(T.plusSeconds(5)).build()),
                JoinInput.span(span("w1").of("worker", "extract", "acme").tier("small", "small-model")
                        .tokens(1_000, 200).cost(100).quality(0.8).checkPassed(true)
                        .latency(Duration.ofMillis(400)).endedAt(T.plusSeconds(6)).build()),
                JoinInput.span(span("w2").of("worker", "extract", "acme").tier("small", "small-model")
                        .tokens(1_200, 100).cost(120).quality(0.6).checkPassed(false).escalated(true)
                        .latency(Duration.ofMillis(600)).endedAt(T.plusSeconds(8)).build()),
                // w2 failed its check on small: the router sent attempt 1 to mid
                JoinInput.routed(RoutedRef.of(routed(task("w2").role("worker").type("extract").attempt(1).build())
                        .tier("mid", "mid-model").at(T.plusSeconds(9)).build())),
                routedAt(T.plusSeconds(10), "w3", "worker", "extract", "small", "small-model"),
                JoinInput.span(span("w2").attempt(1).of("worker", "extract", "acme").tier("mid", "mid-model")
                        .tokens(1_500, 300).cost(400).quality(0.9).checkPassed(true)
                        .latency(Duration.ofMillis(2_000)).endedAt(T.plusSeconds(12)).build()),
                // a span from an agent TierFlow never routed
                JoinInput.span(span("orphan").of("", "", "").tier("small", "small-model").cost(50).endedAt(T.plusSeconds(15)).build()),
                JoinInput.deadLetter(DeadLetter.of("results.small", 0, 42L, null, new byte[] {1, 2, 3}, "UNDECODABLE", "not Avro")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<JoinInput> input = env.fromData(TypeInformation.of(JoinInput.class), story.toArray(JoinInput[]::new))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<JoinInput>forMonotonousTimestamps()
                        .withTimestampAssigner((record, ignored) -> record.eventTimeMillis(ignored)));
        AttributionJob.Outputs outputs = AttributionJob.defineWorkflow(input, new AttributionJob.Parameters(
                new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ZERO), JOIN_BOUND, STUCK_AFTER, FRONTIER));
        CloseableIterator<CostQualityStats> statsOut = outputs.stats().collectAsync();
        CloseableIterator<StuckTask> stuckOut = outputs.stuck().collectAsync();
        CloseableIterator<ResultSpan> unmatchedOut = outputs.unmatched().collectAsync();
        CloseableIterator<ResultSpan> lateOut = outputs.late().collectAsync();
        CloseableIterator<DeadLetter> deadLetterOut = outputs.deadLetters().collectAsync();
        env.execute("attribution pipeline test");
        stats = drain(statsOut);
        stuck = drain(stuckOut);
        unmatched = drain(unmatchedOut);
        late = drain(lateOut);
        deadLetters = drain(deadLetterOut);
    }

    @Test
    void spendOfARoleIsTheSumOfItsSpansInTheWindow() {
        CostQualityStats worker = window("role=worker", T);

        assertThat(worker.getCount()).isEqualTo(3);
        assertThat(worker.getCostMicros()).isEqualTo(100 + 120 + 400);
        assertThat(worker.getInputTokens()).isEqualTo(1_000 + 1_200 + 1_500);
        assertThat(worker.getOutputTokens()).isEqualTo(200 + 100 + 300);
        assertThat(worker.getQualityMean()).isCloseTo((0.8 + 0.6 + 0.9) / 3, within(1e-9));
        assertThat(worker.getQualitySamples()).isEqualTo(3);
        assertThat(worker.getCheckPassRate()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(worker.getEscalationRate()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(worker.getErrorRate()).isZero();
        // 400, 600 and 2000 ms: the median is 600 within the sketch's 1 %
        assertThat(worker.getLatencyP50Ms()).isCloseTo(600, within(6.0));
        assertThat(worker.getRole()).isEqualTo("worker");
        assertThat(worker.getTenant()).isNull();
    }

    @Test
    void theFrontierCounterfactualPricesEachSpansTokensAtTheFrontier() {
        // w1: 1000 × 3 + 200 × 15 = 6000; w2#0: 1200 × 3 + 100 × 15 = 5100; w2#1: 1500 × 3 + 300 × 15 = 9000
        assertThat(window("role=worker", T).getFrontierCostMicros()).isEqualTo(6_000 + 5_100 + 9_000);
        // a span that ran on the frontier costs what it cost
        assertThat(window("role=planner", T).getFrontierCostMicros()).isEqualTo(9_000);
    }

    @Test
    void eachSpanCountsInTheScopesOfItsRoleTypeTierAndTenant() {
        assertThat(window("role=worker/type=extract", T).getCount()).isEqualTo(3);
        CostQualityStats small = window("role=worker/type=extract/tier=small", T);
        assertThat(small.getCount()).isEqualTo(2);
        assertThat(small.getCostMicros()).isEqualTo(220);
        assertThat(small.getTier()).isEqualTo("small");
        assertThat(window("role=worker/type=extract/tier=mid", T).getCostMicros()).isEqualTo(400);
        CostQualityStats tenant = window("tenant=acme", T);
        assertThat(tenant.getCostMicros()).isEqualTo(9_000 + 100 + 120 + 400);
        assertThat(tenant.getTenant()).isEqualTo("acme");
        assertThat(tenant.getRole()).isNull();
    }

    @Test
    void aSpanCountsInEveryWindowThatCoversItAndNoOther() {
        // 60 s windows sliding by 20 s: 3 windows cover each instant
        long plannerCount = stats.stream().filter(s -> s.getScope().equals("role=planner")).mapToLong(CostQualityStats::getCount).sum();
        assertThat(plannerCount).isEqualTo(3);
        assertThat(stats.stream().filter(s -> s.getScope().equals("role=planner")).map(CostQualityStats::getWindowStart))
                .containsExactlyInAnyOrder(T.minusSeconds(40), T.minusSeconds(20), T);
    }

    @Test
    void aRoutedTaskWithoutSpanIsReportedStuckAndCountedInItsScopes() {
        assertThat(stuck).singleElement().satisfies(task -> {
            assertThat(task.getTaskId()).isEqualTo("w3");
            assertThat(task.getTier()).isEqualTo("small");
            assertThat(task.getDeclaredStuckAt()).isEqualTo(T.plusSeconds(10).plus(STUCK_AFTER));
        });
        // declared at 09:02:10, counted in the windows starting 09:01:20, 09:01:40 and 09:02:00
        Instant declared = T.plusSeconds(130);
        List<CostQualityStats> withStuck = stats.stream().filter(s -> s.getScope().equals("role=worker") && s.getStuckCount() > 0).toList();
        assertThat(withStuck).extracting(CostQualityStats::getWindowStart)
                .containsExactlyInAnyOrder(declared.minusSeconds(50), declared.minusSeconds(30), declared.minusSeconds(10));
        assertThat(withStuck).allSatisfy(s -> assertThat(s.getCount()).isZero());
    }

    @Test
    void aSpanWithoutRoutedTaskIsUnmatchedAndCountedPerModelOnly() {
        assertThat(unmatched).singleElement().extracting(ResultSpan::getTaskId).isEqualTo("orphan");
        List<CostQualityStats> perModel = stats.stream().filter(s -> s.getScope().equals("model=small-model")).toList();
        assertThat(perModel).hasSize(3).allSatisfy(s -> {
            assertThat(s.getUnmatchedCount()).isEqualTo(1);
            assertThat(s.getCostMicros()).isEqualTo(50);
            assertThat(s.getModel()).isEqualTo("small-model");
        });
        assertThat(stats).noneMatch(s -> s.getScope().equals("role="));
    }

    @Test
    void everyInputRecordEndsUpInExactlyOnePlace() {
        assertThat(deadLetters).singleElement().satisfies(letter -> assertThat(letter.offset).isEqualTo(42L));
        assertThat(late).isEmpty();
        // 5 spans: 4 matched (each counted in 3 windows under its role), 1 unmatched
        long matchedSpans = stats.stream().filter(s -> s.getScope().startsWith("role=") && !s.getScope().contains("/"))
                .mapToLong(CostQualityStats::getCount).sum() / 3;
        assertThat(matchedSpans).isEqualTo(4);
        assertThat(unmatched).hasSize(1);
    }

    private static JoinInput routedAt(Instant at, String taskId, String role, String type, String tier, String model) {
        return JoinInput.routed(RoutedRef.of(routed(task(taskId).role(role).type(type).tenant("acme").build()).tier(tier, model).at(at).build()));
    }

    private static CostQualityStats window(String scope, Instant start) {
        Map<Instant, CostQualityStats> byStart = stats.stream().filter(s -> s.getScope().equals(scope))
                .collect(Collectors.toMap(CostQualityStats::getWindowStart, Function.identity()));
        assertThat(byStart).as("windows of %s", scope).containsKey(start);
        return byStart.get(start);
    }

    private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> all = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(all::add);
        }
        return all;
    }
}
