package dev.tierflow.attribution.stats;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.schemas.StatsScopes;
import dev.tierflow.testing.TestInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScopePreAggregatorTest {

    private static final Duration SLIDE = Duration.ofSeconds(30);
    /** The start of a pane: panes are aligned to the slide. */
    private static final Instant PANE = TestInstants.BEGINNING;
    private static final Instant NEXT_PANE = PANE.plus(SLIDE);

    private OneInputStreamOperatorTestHarness<Attribution, Pane> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new ScopePreAggregator(SLIDE.toMillis()));
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void eachScopeGetsOnePanePerSlideWithTheTotalsOfEverySpanInIt() throws Exception {
        List<Attribution> input = List.of(
                joined("worker", "extract", "small", "acme", 100, 0.9, 200, PANE.plusSeconds(1)),
                joined("worker", "extract", "small", "acme", 300, 0.7, 800, PANE.plusSeconds(2)),
                joined("worker", "extract", "mid", "acme", 1_000, 0.8, 1_500, PANE.plusSeconds(3)),
                joined("worker", "extract", "small", "globex", 50, null, 100, PANE.plusSeconds(4)),
                joined("planner", "plan", "frontier", "acme", 9_000, 1.0, 3_000, PANE.plusSeconds(5)),
                Attribution.ofStuck(ref("worker", "extract", "small", "acme"), PANE.plusSeconds(6).toEpochMilli()),
                Attribution.ofUnmatched(span("orphan").tier("small", "small-model").cost(70).endedAt(PANE.plusSeconds(7)).build(), 700),
                joined("worker", "extract", "small", "acme", 400, 0.5, 600, NEXT_PANE.plusSeconds(1)));
        for (Attribution attribution : input) {
            harness.processElement(attribution, attribution.eventTimeMillis);
        }

        harness.processWatermark(NEXT_PANE.toEpochMilli() - 1);

        Map<String, StatsAccumulator> firstPane = panesOf(PANE);
        assertThat(firstPane).containsOnlyKeys(
                StatsScopes.role("worker"), StatsScopes.role("planner"),
                StatsScopes.roleType("worker", "extract"), StatsScopes.roleType("planner", "plan"),
                StatsScopes.roleTypeTier("worker", "extract", "small"), StatsScopes.roleTypeTier("worker", "extract", "mid"),
                StatsScopes.roleTypeTier("planner", "plan", "frontier"),
                StatsScopes.tenant("acme"), StatsScopes.tenant("globex"), StatsScopes.model("small-model"));
        Map<String, StatsAccumulator> reference = addedScopeByScope(input, PANE);
        assertThat(firstPane).as("the same totals as adding each span to each of its scopes")
                .usingRecursiveComparison().ignoringFieldsOfTypes(DDSketch.class).isEqualTo(reference);
        reference.forEach((scope, totals) -> {
            for (double quantile : new double[] {0.0, 0.5, 0.95, 1.0}) {
                assertThat(firstPane.get(scope).latencyQuantile(quantile)).as(scope + " latency p" + quantile)
                        .isEqualTo(totals.latencyQuantile(quantile));
            }
        });

        StatsAccumulator worker = firstPane.get(StatsScopes.role("worker"));
        assertThat(worker).extracting(t -> t.count, t -> t.costMicros, t -> t.stuck, t -> t.qualitySamples, t -> t.role, t -> t.tier, t -> t.tenant)
                .containsExactly(4L, 1_450L, 1L, 3L, "worker", null, null);
        assertThat(firstPane.get(StatsScopes.tenant("acme"))).extracting(t -> t.count, t -> t.costMicros, t -> t.stuck, t -> t.tenant, t -> t.role)
                .containsExactly(4L, 10_400L, 1L, "acme", null);
        assertThat(firstPane.get(StatsScopes.model("small-model"))).extracting(t -> t.count, t -> t.unmatched, t -> t.costMicros, t -> t.model)
                .containsExactly(1L, 1L, 70L, "small-model");
        assertThat(worker.latencyQuantile(1.0)).isCloseTo(1_500.0, withinPercentage(1));
        assertThat(panesOf(NEXT_PANE)).as("the next pane waits for the watermark to pass its end").isEmpty();
    }

    @Test
    void nothingIsSentBeforeTheWatermarkPassesThePanesEnd() throws Exception {
        Attribution attribution = joined("worker", "extract", "small", "acme", 100, 0.9, 200, PANE.plusSeconds(1));
        harness.processElement(attribution, attribution.eventTimeMillis);

        harness.processWatermark(NEXT_PANE.toEpochMilli() - 2);
        assertThat(sentPanes()).isEmpty();

        harness.processWatermark(NEXT_PANE.toEpochMilli() - 1);
        assertThat(sentPanes()).extracting(pane -> pane.start).containsOnly(PANE.toEpochMilli());
        assertThat(sentPanes()).hasSize(4);
    }

    @Test
    void aCheckpointBarrierSendsEveryPaneSoNothingIsHeldAcrossIt() throws Exception {
        Attribution now = joined("worker", "extract", "small", "acme", 100, 0.9, 200, PANE.plusSeconds(1));
        Attribution later = joined("worker", "extract", "small", "acme", 200, 0.9, 200, NEXT_PANE.plusSeconds(1));
        harness.processElement(now, now.eventTimeMillis);
        harness.processElement(later, later.eventTimeMillis);

        harness.prepareSnapshotPreBarrier(1);

        assertThat(sentPanes()).extracting(pane -> pane.scope, pane -> pane.start, pane -> pane.totals.costMicros)
                .contains(tuple(StatsScopes.role("worker"), PANE.toEpochMilli(), 100L), tuple(StatsScopes.role("worker"), NEXT_PANE.toEpochMilli(), 200L));
        assertThat(sentPanes()).hasSize(8);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(sentPanes()).as("nothing is sent twice").hasSize(8);
    }

    @Test
    void aLateAttributionIsSentAtOnceInEachOfItsScopes() throws Exception {
        harness.processWatermark(NEXT_PANE.toEpochMilli());
        Attribution late = joined("planner", "plan", "frontier", "globex", 9_000, 1.0, 3_000, PANE.plusSeconds(5));

        harness.processElement(late, late.eventTimeMillis);

        assertThat(sentPanes()).extracting(pane -> pane.scope, pane -> pane.start, pane -> pane.totals.count, pane -> pane.totals.costMicros)
                .containsExactly(
                        tuple(StatsScopes.role("planner"), PANE.toEpochMilli(), 1L, 9_000L),
                        tuple(StatsScopes.roleType("planner", "plan"), PANE.toEpochMilli(), 1L, 9_000L),
                        tuple(StatsScopes.roleTypeTier("planner", "plan", "frontier"), PANE.toEpochMilli(), 1L, 9_000L),
                        tuple(StatsScopes.tenant("globex"), PANE.toEpochMilli(), 1L, 9_000L));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static RoutedRef ref(String role, String taskType, String tier, String tenant) {
        return RoutedRef.of(routed(task("task-" + role + "-" + tier + "-" + tenant).role(role).type(taskType).tenant(tenant).build())
                .tier(tier, tier + "-model").build());
    }

    private static Attribution joined(String role, String taskType, String tier, String tenant, long costMicros, Double quality,
                                      long latencyMillis, Instant endedAt) {
        return Attribution.ofSpan(ref(role, taskType, tier, tenant),
                span("task-" + role + "-" + tier + "-" + tenant).tier(tier, tier + "-model").cost(costMicros).quality(quality)
                        .latency(Duration.ofMillis(latencyMillis)).endedAt(endedAt).build(),
                costMicros * 3);
    }

    /** The reference: each attribution added to a fresh accumulator of each of its scopes, in the given pane. */
    private static Map<String, StatsAccumulator> addedScopeByScope(List<Attribution> input, Instant paneStart) {
        Map<String, StatsAccumulator> byScope = new LinkedHashMap<>();
        for (Attribution attribution : input) {
            if (attribution.eventTimeMillis < paneStart.toEpochMilli() || attribution.eventTimeMillis >= paneStart.plus(SLIDE).toEpochMilli()) {
                continue;
            }
            Scopes.forEachScope(attribution, (scope, role, taskType, tier, tenant, model) ->
                    byScope.computeIfAbsent(scope, s -> StatsAccumulator.of(scope, role, taskType, tier, tenant, model)).add(attribution));
        }
        return byScope;
    }

    private List<Pane> sentPanes() {
        List<Pane> panes = new ArrayList<>();
        for (Object element : harness.getOutput()) {
            if (element instanceof StreamRecord<?> record) {
                panes.add((Pane) record.getValue());
            }
        }
        return panes;
    }

    /** The panes sent for {@code paneStart}, by scope; fails if a scope got two. */
    private Map<String, StatsAccumulator> panesOf(Instant paneStart) {
        Map<String, StatsAccumulator> byScope = new LinkedHashMap<>();
        for (Pane pane : sentPanes()) {
            if (pane.start == paneStart.toEpochMilli()) {
                assertThat(byScope.put(pane.scope, pane.totals)).as("a second pane for " + pane.scope).isNull();
            }
        }
        return byScope;
    }
}
