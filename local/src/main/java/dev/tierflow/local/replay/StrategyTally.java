package dev.tierflow.local.replay;

import java.util.HashMap;
import java.util.Map;

/** Adds up a strategy's tasks one by one into a {@link StrategyResult}. */
final class StrategyTally {

    private final String strategy;
    private final double successScore;
    private final Map<String, Integer> finishedPerTier = new HashMap<>();
    private int tasks;
    private long costMicros;
    private double qualitySum;
    private int successes;
    private int withoutOutcome;

    StrategyTally(String strategy, double successScore) {
        this.strategy = strategy;
        this.successScore = successScore;
    }

    /** A task that ended with an answer of {@code quality} (null: none known) from {@code tier}, having cost {@code costMicros} in all. */
    void answered(String tier, long costMicros, Double quality) {
        tasks++;
        this.costMicros += costMicros;
        if (quality != null) {
            qualitySum += quality;
            successes += quality >= successScore ? 1 : 0;
        }
        finishedPerTier.merge(tier, 1, Integer::sum);
    }

    /** A task that ended without a recorded outcome, on {@code tier} (null: on none), having cost {@code costMicros}. */
    void withoutOutcome(String tier, long costMicros) {
        tasks++;
        withoutOutcome++;
        this.costMicros += costMicros;
        if (tier != null) {
            finishedPerTier.merge(tier, 1, Integer::sum);
        }
    }

    StrategyResult result() {
        return new StrategyResult(strategy, tasks, costMicros, qualitySum, successes, withoutOutcome, finishedPerTier);
    }
}
