package dev.tierflow.local.replay;

import java.util.Map;

/**
 * What one strategy did on the replayed prompts.
 *
 * @param costMicros the cost of every attempt, in micro-dollars
 * @param qualitySum the sum of each task's final score (a task without a recorded outcome counts 0)
 * @param successes tasks whose final score reached the success score
 * @param withoutOutcome tasks that ended without a recorded outcome (an error span; counted as failures, quality 0)
 * @param finishedPerTier tier name → tasks whose final answer came from that tier
 */
public record StrategyResult(String strategy, int tasks, long costMicros, double qualitySum, int successes, int withoutOutcome,
                             Map<String, Integer> finishedPerTier) {

    public StrategyResult {
        finishedPerTier = Map.copyOf(finishedPerTier);
    }

    public double meanQuality() {
        return tasks == 0 ? 0 : qualitySum / tasks;
    }

    public double successRate() {
        return tasks == 0 ? 0 : (double) successes / tasks;
    }

    public int finishedOn(String tier) {
        return finishedPerTier.getOrDefault(tier, 0);
    }
}
