package dev.tierflow.local.replay;

import static dev.tierflow.local.replay.ReplayFixtures.POLICY;
import static dev.tierflow.local.replay.ReplayFixtures.PRICES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.worker.replay.ReplayIndex;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The baselines on five prompts, every figure by hand. Recorded names are the tiers' own, except small's,
 * mapped as {@code --model small=small-rec} would.
 */
class BaselinesTest {

    //   prompt  small (small-rec)          mid               top
    //   p1      1.0  10 µ$                 1.0  10 µ$        1.0  100 µ$   oracle: small (ties mid on cost and score: the cheaper tier)
    //   p2      0.4   5 µ$                 0.6  20 µ$        0.9   20 µ$   oracle: top (ties mid on cost: the higher score)
    //   p3      -                          0.0  30 µ$        0.2   50 µ$   oracle: none succeeds, the cheapest: mid, a failure
    //   p4      1.0  no cost: 100 in x 1 + 50 out x 2 = 200 µ$   1.0 150 µ$   -   oracle: mid (cheaper than small here)
    //   p5      only another model recorded                                    oracle: no outcome
    private static final ReplayIndex INDEX = ReplayFixtures.index("""
            prompt_id,model,score,cost_usd,input_tokens,output_tokens
            p1,small-rec,1.0,0.000010,,
            p1,mid-model,1.0,0.000010,,
            p1,top-model,1.0,0.000100,,
            p2,small-rec,0.4,0.000005,,
            p2,mid-model,0.6,0.000020,,
            p2,top-model,0.9,0.000020,,
            p3,mid-model,0.0,0.000030,,
            p3,top-model,0.2,0.000050,,
            p4,small-rec,1.0,,100,50
            p4,mid-model,1.0,0.000150,,
            p5,other-model,1.0,0.000001,,
            """);
    private static final ReplayTiers TIERS = ReplayTiers.of(POLICY, INDEX, Map.of("small", "small-rec"));
    private static final List<AgentTask> TASKS = new ReplayTasks("t", "worker", "qa", 0.5).of(INDEX, Instant.EPOCH);
    private final Baselines baselines = new Baselines(TIERS, PRICES, 0.5);

    @Test
    void uniformFrontierAnswersEveryPromptOnTheTopTier() {
        StrategyResult top = baselines.all(TASKS).get(0);

        assertThat(top.strategy()).isEqualTo("uniform-frontier");
        // 100 + 20 + 50, p4 and p5 without outcome
        assertThat(top.costMicros()).isEqualTo(170);
        assertThat(top.qualitySum()).isCloseTo(1.0 + 0.9 + 0.2, within(1e-9));
        assertThat(top.meanQuality()).isCloseTo(2.1 / 5, within(1e-9));
        assertThat(top.successes()).isEqualTo(2);
        assertThat(top.withoutOutcome()).isEqualTo(2);
        assertThat(top.finishedPerTier()).isEqualTo(Map.of("top", 5));
    }

    @Test
    void uniformSmallPricesAnOutcomeWithoutACostFromItsTokensAsTheWorkerWould() {
        StrategyResult small = baselines.all(TASKS).get(1);

        assertThat(small.strategy()).isEqualTo("uniform-small");
        // 10 + 5 + 200 (p4: 100 x 1 + 50 x 2 at small-model's prices), p3 and p5 without outcome
        assertThat(small.costMicros()).isEqualTo(215);
        assertThat(small.qualitySum()).isCloseTo(1.0 + 0.4 + 1.0, within(1e-9));
        assertThat(small.successes()).isEqualTo(2);
        assertThat(small.withoutOutcome()).isEqualTo(2);
        assertThat(small.finishedPerTier()).isEqualTo(Map.of("small", 5));
    }

    @Test
    void theOracleTakesTheCheapestSucceedingModelBreakingTiesByScoreThenTier() {
        StrategyResult oracle = baselines.all(TASKS).get(2);

        assertThat(oracle.strategy()).isEqualTo("oracle");
        // p1 small 10, p2 top 20, p3 mid 30 (failure), p4 mid 150, p5 no outcome
        assertThat(oracle.costMicros()).isEqualTo(210);
        assertThat(oracle.qualitySum()).isCloseTo(1.0 + 0.9 + 0.0 + 1.0, within(1e-9));
        assertThat(oracle.successes()).isEqualTo(3);
        assertThat(oracle.successRate()).isCloseTo(3.0 / 5, within(1e-9));
        assertThat(oracle.withoutOutcome()).isEqualTo(1);
        assertThat(oracle.finishedPerTier()).isEqualTo(Map.of("small", 1, "mid", 2, "top", 1));
    }

    @Test
    void aScoreExactlyAtTheSuccessScoreSucceeds() {
        ReplayIndex index = ReplayFixtures.index("""
                prompt_id,model,score,cost_usd
                q1,small-model,0.5,0.000001
                q1,mid-model,1.0,0.000002
                q1,top-model,1.0,0.000003
                """);
        ReplayTiers tiers = ReplayTiers.of(POLICY, index, Map.of());
        List<AgentTask> tasks = new ReplayTasks("t", "worker", "qa", 0.5).of(index, Instant.EPOCH);

        StrategyResult oracle = new Baselines(tiers, PRICES, 0.5).oracle(tasks);

        assertThat(oracle.costMicros()).isEqualTo(1);
        assertThat(oracle.successes()).isEqualTo(1);
    }
}
