package dev.tierflow.router.decision;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.PolicyRule;

/** Turns a record of the {@code policy} topic into a {@link LiveOverride}, or says why it cannot be applied. */
public final class OverrideValidator {

    private final RoutingPolicy policy;

    public OverrideValidator(RoutingPolicy policy) {
        this.policy = policy;
    }

    /** The override, or throws {@link IllegalArgumentException} naming the problem. */
    public LiveOverride validate(String key, PolicyRule rule) {
        Scope scope = Scope.parse(key);
        if (rule.getScope() != null && !rule.getScope().isBlank() && !Scope.parse(rule.getScope()).equals(scope)) {
            throw new IllegalArgumentException("record key '" + key + "' and rule scope '" + rule.getScope() + "' differ");
        }
        Tier tier = null;
        if (rule.getTier() != null) {
            tier = policy.tier(rule.getTier());
            if (tier == null) {
                throw new IllegalArgumentException("unknown tier '" + rule.getTier() + "' (tiers are "
                        + String.join(", ", policy.tiers().stream().map(Tier::name).toList()) + ")");
            }
        }
        if (rule.getModel() != null && tier == null) {
            throw new IllegalArgumentException("a model override needs a tier");
        }
        if (rule.getMaxOutputTokens() != null && rule.getMaxOutputTokens() <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be positive, was " + rule.getMaxOutputTokens());
        }
        if (tier == null && rule.getMaxOutputTokens() == null) {
            throw new IllegalArgumentException("changes nothing: set tier, maxOutputTokens or both");
        }
        Long expiresAt = rule.getExpiresAt() == null ? null : rule.getExpiresAt().toEpochMilli();
        return new LiveOverride(scope, tier, rule.getModel(), rule.getMaxOutputTokens(), rule.getVersion(), expiresAt);
    }
}
