package dev.tierflow.local.replay;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.SpanStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutedStrategyTest {

    private static final List<AgentTask> TASKS = new ReplayTasks("t", "worker", "qa", 0.5).of(ReplayFixtures.index("""
            prompt_id,model,score,cost_usd
            a,small-model,1.0,0.000001
            b,small-model,1.0,0.000001
            c,small-model,1.0,0.000001
            """), Instant.EPOCH);

    @Test
    void everyAttemptCostsAndTheFinalSpanGivesQualityAndTier() {
        StrategyResult routed = RoutedStrategy.of(TASKS, List.of(
                // a: small fails, mid succeeds -> 10 + 30, quality 0.75 on mid
                span("replay-a").tier("small", "small-model").cost(10).quality(0.0).status(SpanStatus.CHECK_FAILED).escalated(true).build(),
                span("replay-a").attempt(1).tier("mid", "mid-model").cost(30).quality(0.75).status(SpanStatus.OK).build(),
                // b: top fails, final -> 100, quality 0.25
                span("replay-b").tier("top", "top-model").cost(100).quality(0.25).status(SpanStatus.CHECK_FAILED).build(),
                // c: no recorded outcome -> an error span, without outcome
                span("replay-c").tier("mid", "mid-model").cost(0).quality(null).status(SpanStatus.ERROR).build()), 0.5);

        assertThat(routed.strategy()).isEqualTo("tierflow");
        assertThat(routed.costMicros()).isEqualTo(140);
        assertThat(routed.meanQuality()).isCloseTo((0.75 + 0.25 + 0) / 3, within(1e-9));
        assertThat(routed.successes()).isEqualTo(1);
        assertThat(routed.withoutOutcome()).isEqualTo(1);
        assertThat(routed.finishedPerTier()).isEqualTo(Map.of("mid", 2, "top", 1));
    }

    @Test
    void aTaskWithoutItsFinalSpanIsRefused() {
        assertThatThrownBy(() -> RoutedStrategy.of(TASKS.subList(0, 1), List.of(
                span("replay-a").tier("small", "small-model").cost(10).status(SpanStatus.CHECK_FAILED).escalated(true).build()), 0.5))
                .hasMessage("task replay-a has no final span");
    }
}
