package dev.tierflow.policy.live;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.policy.price.PricedModels;
import dev.tierflow.policy.price.UnknownModelException;
import dev.tierflow.schemas.PolicyRule;
import java.util.Objects;

/**
 * Turns a record of the {@code policy} topic into a {@link LiveOverride}, or says why it cannot be applied.
 * The one validation of policy records: the router applies what it accepts, and the alerting job reasons
 * only from what it accepts, so the two never disagree about a scope's rule.
 */
public final class OverrideValidator {

    private final RoutingPolicy policy;
    private final PriceCatalog prices;

    /** @param prices the catalog the workers price answers with: an override naming a model without a price is rejected */
    public OverrideValidator(RoutingPolicy policy, PriceCatalog prices) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.prices = Objects.requireNonNull(prices, "prices");
    }

    /** The override, or throws {@link IllegalArgumentException} naming the problem. */
    public LiveOverride validate(String key, PolicyRule rule) {
        Scope scope = Scope.parse(key);
        if (!scope.toString().equals(key)) {
            // one scope, one key: else a tombstone for the scope's own key leaves the other record in force
            throw new IllegalArgumentException("record key '" + key + "' is not its scope's own form '" + scope
                    + "' (parts in the order tenant, role, type; no spaces)");
        }
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
        if (tier != null) {
            try {
                PricedModels.requireForRoute(prices, tier, rule.getModel());
            } catch (UnknownModelException e) {
                throw new IllegalArgumentException("a task routed by it could not be priced: " + e.getMessage(), e);
            }
        }
        Long expiresAt = rule.getExpiresAt() == null ? null : rule.getExpiresAt().toEpochMilli();
        return new LiveOverride(scope, tier, rule.getModel(), rule.getMaxOutputTokens(), rule.getVersion(), expiresAt);
    }
}
