package dev.tierflow.router.app;

import dev.tierflow.policy.Pin;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;

/** A readable summary of a validated policy, for {@code --validate-only}. */
public final class PolicySummary {

    private PolicySummary() {
    }

    public static String describe(RoutingPolicy policy) {
        StringBuilder out = new StringBuilder("policy ").append(policy.version()).append(" is valid\n");
        out.append("tiers (cheapest first):\n");
        for (Tier tier : policy.tiers()) {
            out.append("  ").append(tier.rank()).append(' ').append(tier.name()).append(": ")
                    .append(tier.model()).append(" @ ").append(tier.provider()).append('\n');
        }
        out.append("default tier: ").append(policy.defaultTier().name()).append(", max attempts: ").append(policy.maxAttempts()).append('\n');
        policy.roleTiers().forEach((role, tier) -> out.append("role ").append(role).append(" -> ").append(tier.name()).append('\n'));
        out.append("budget default: ").append(policy.defaultMaxOutputTokens()).append(" tokens\n");
        policy.taskTypeBudgets().forEach((type, budget) -> out.append("budget ").append(type).append(": ").append(budget).append(" tokens\n"));
        for (Pin pin : policy.pins()) {
            out.append("pin ").append(pin.name()).append(" -> ").append(pin.tier().name()).append(" / ").append(pin.model()).append('\n');
        }
        out.append("classifier: ").append(policy.classifier().enabled() ? "on" : "off").append('\n');
        return out.toString();
    }
}
