package dev.tierflow.attribution.stats;

import dev.tierflow.schemas.StatsScopes;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.AttributionKind;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.testing.TestInstants;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopesTest {

    private static final RoutedRef PLANNER = RoutedRef.of(
            routed(task("task-1").role("planner").type("summarize").tenant("globex").build()).tier("small", "small-model").build());

    @Test
    void scopesAreWrittenTheWayThePolicyTopicWritesThem() {
        assertThat(StatsScopes.role("worker")).isEqualTo("role=worker");
        assertThat(StatsScopes.roleType("worker", "extract")).isEqualTo("role=worker/type=extract");
        assertThat(StatsScopes.roleTypeTier("worker", "extract", "small")).isEqualTo("role=worker/type=extract/tier=small");
        assertThat(StatsScopes.tenant("acme")).isEqualTo("tenant=acme");
        assertThat(StatsScopes.model("small-model")).isEqualTo("model=small-model");
    }

    @Test
    void aJoinedSpanCountsInItsRoleTypeTierAndTenantScopesKeepingOnlyTheirDimensions() {
        Attribution joined = Attribution.ofSpan(PLANNER, span("task-1").tier("medium", "medium-model").cost(300)
                .endedAt(TestInstants.BEGINNING).build(), 6_000);

        assertThat(fanOut(joined))
                .extracting(a -> a.scope, a -> a.role, a -> a.taskType, a -> a.tier, a -> a.tenant, a -> a.model)
                .containsExactly(
                        tuple("role=planner", "planner", null, null, null, null),
                        tuple("role=planner/type=summarize", "planner", "summarize", null, null, null),
                        tuple("role=planner/type=summarize/tier=medium", "planner", "summarize", "medium", null, null),
                        tuple("tenant=globex", null, null, null, "globex", null));
        // every copy carries the measures whole
        assertThat(fanOut(joined)).allSatisfy(copy -> {
            assertThat(copy.kind).isEqualTo(AttributionKind.SPAN);
            assertThat(copy.costMicros).isEqualTo(300);
            assertThat(copy.frontierCostMicros).isEqualTo(6_000);
            assertThat(copy.eventTimeMillis).isEqualTo(TestInstants.BEGINNING.toEpochMilli());
        });
    }

    @Test
    void aStuckAttemptCountsInTheScopesOfItsRoutedTier() {
        Attribution stuck = Attribution.ofStuck(PLANNER, TestInstants.FIVE_MINUTES_LATER.toEpochMilli());

        assertThat(fanOut(stuck)).extracting(a -> a.scope).containsExactly(
                "role=planner", "role=planner/type=summarize", "role=planner/type=summarize/tier=small", "tenant=globex");
        assertThat(fanOut(stuck)).allSatisfy(copy -> assertThat(copy.kind).isEqualTo(AttributionKind.STUCK));
    }

    @Test
    void anUnmatchedSpanCountsPerModelOnly() {
        Attribution unmatched = Attribution.ofUnmatched(span("orphan").of("worker", "extract", "acme")
                .tier("small", "small-model").endedAt(TestInstants.BEGINNING).build(), 6_000);

        assertThat(fanOut(unmatched))
                .extracting(a -> a.scope, a -> a.role, a -> a.taskType, a -> a.tier, a -> a.tenant, a -> a.model, a -> a.kind)
                .containsExactly(tuple("model=small-model", null, null, null, null, "small-model", AttributionKind.UNMATCHED));
    }

    private static List<Attribution> fanOut(Attribution attribution) {
        List<Attribution> copies = new ArrayList<>();
        Scopes.forEachScope(attribution, (scope, role, taskType, tier, tenant, model) ->
                copies.add(attribution.inScope(scope, role, taskType, tier, tenant, model)));
        return copies;
    }
}
