package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.AttributionKind;
import dev.tierflow.schemas.StatsScopes;

/**
 * The scopes an attribution counts in ({@link StatsScopes}): role; role × type; role × type × tier;
 * tenant. An unmatched span has no routed task to trust for its role or tenant, so it counts per model only.
 */
public final class Scopes {

    private Scopes() {
    }

    /** Takes one scope an attribution counts in, with the dimensions that scope names (the others null). */
    @FunctionalInterface
    public interface ScopeConsumer {
        void accept(String scope, String role, String taskType, String tier, String tenant, String model);
    }

    /** Each scope {@code a} counts in; no copy of the attribution is made (this runs once per span). */
    public static void forEachScope(Attribution a, ScopeConsumer to) {
        forEachScope(a.kind == AttributionKind.UNMATCHED, a.role, a.taskType, a.tier, a.tenant, a.model, to);
    }

    /** Each scope an attribution with these dimensions counts in, {@code unmatched} or not. */
    public static void forEachScope(boolean unmatched, String role, String taskType, String tier, String tenant, String model,
                                    ScopeConsumer to) {
        if (unmatched) {
            to.accept(StatsScopes.model(model), null, null, null, null, model);
            return;
        }
        to.accept(StatsScopes.role(role), role, null, null, null, null);
        to.accept(StatsScopes.roleType(role, taskType), role, taskType, null, null, null);
        to.accept(StatsScopes.roleTypeTier(role, taskType, tier), role, taskType, tier, null, null);
        to.accept(StatsScopes.tenant(tenant), null, null, null, tenant, null);
    }
}
