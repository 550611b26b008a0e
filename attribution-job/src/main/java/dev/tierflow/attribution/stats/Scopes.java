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
        if (a.kind == AttributionKind.UNMATCHED) {
            to.accept(StatsScopes.model(a.model), null, null, null, null, a.model);
            return;
        }
        to.accept(StatsScopes.role(a.role), a.role, null, null, null, null);
        to.accept(StatsScopes.roleType(a.role, a.taskType), a.role, a.taskType, null, null, null);
        to.accept(StatsScopes.roleTypeTier(a.role, a.taskType, a.tier), a.role, a.taskType, a.tier, null, null);
        to.accept(StatsScopes.tenant(a.tenant), null, null, null, a.tenant, null);
    }
}
