package dev.tierflow.worker.simulator;

import java.util.Map;

/**
 * How one tier's simulated model behaves.
 *
 * @param latency how long its calls take
 * @param outputTokens how much of the output budget it uses
 * @param quality its base quality in [0,1], before adjustments
 * @param qualitySpread the standard deviation of one call's quality around its mean
 * @param cachedInputFraction the share of input tokens served from the provider's prompt cache (priced lower)
 * @param adjustments quality added for a role or task type (negative where the tier is poor at it); a request
 *                    gets its role's and its task type's adjustment, both when both are listed
 */
public record TierProfile(LatencyProfile latency, OutputTokensProfile outputTokens, double quality,
                          double qualitySpread, double cachedInputFraction, Map<String, Double> adjustments) {

    public TierProfile {
        adjustments = Map.copyOf(adjustments);
    }

    /** The mean quality of a call by this role for this task type, before any runtime degradation. */
    double meanQuality(String role, String taskType) {
        double mean = quality + adjustment(role);
        if (taskType != null && !taskType.equals(role)) {
            mean += adjustment(taskType);
        }
        return mean;
    }

    private double adjustment(String roleOrType) {
        return roleOrType == null ? 0.0 : adjustments.getOrDefault(roleOrType, 0.0);
    }
}
