package dev.tierflow.router.decision;

import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.RoutingRule;

/** Where a task goes and why. */
public record RoutingDecision(Tier tier, String model, String provider, int maxOutputTokens,
                              RoutingRule rule, String ruleDetail, Long overrideVersion) {
}
