package dev.tierflow.policy.live;

import dev.tierflow.policy.Tier;

/**
 * A validated override from the {@code policy} topic. Any of tier, model and budget may be absent;
 * a model is only ever set together with a tier.
 */
public record LiveOverride(Scope scope, Tier tier, String model, Integer maxOutputTokens, long version, Long expiresAtMs,
                           String ruleDetail) {

    public LiveOverride(Scope scope, Tier tier, String model, Integer maxOutputTokens, long version, Long expiresAtMs) {
        this(scope, tier, model, maxOutputTokens, version, expiresAtMs, scope.toString());
    }

    public boolean activeAt(long nowMs) {
        return expiresAtMs == null || nowMs < expiresAtMs;
    }
}
