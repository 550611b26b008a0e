package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.AttributionKind;

/**
 * The scopes an attribution counts in, written the way the {@code policy} topic writes scopes
 * ({@code role=worker/type=extract}), so the alerting job can act on the scope it measured: role;
 * role × type; role × type × tier; tenant. An unmatched span has no routed task to trust for its role
 * or tenant, so it counts per model only.
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
            to.accept(model(a.model), null, null, null, null, a.model);
            return;
        }
        to.accept(role(a.role), a.role, null, null, null, null);
        to.accept(roleType(a.role, a.taskType), a.role, a.taskType, null, null, null);
        to.accept(roleTypeTier(a.role, a.taskType, a.tier), a.role, a.taskType, a.tier, null, null);
        to.accept(tenant(a.tenant), null, null, null, a.tenant, null);
    }

    public static String role(String role) {
        return "role=" + role;
    }

    public static String roleType(String role, String taskType) {
        return role(role) + "/type=" + taskType;
    }

    public static String roleTypeTier(String role, String taskType, String tier) {
        return roleType(role, taskType) + "/tier=" + tier;
    }

    public static String tenant(String tenant) {
        return "tenant=" + tenant;
    }

    public static String model(String model) {
        return "model=" + model;
    }
}
