package dev.tierflow.schemas;

/**
 * The scopes of {@link CostQualityStats} on the stats topic, written the way the {@code policy} topic
 * writes scopes ({@code role=worker/type=extract}), so the alerting job can act on the scope it measured:
 * role; role × type; role × type × tier; tenant; and model (for spans that matched no routed task). The
 * attribution job writes them; the alerting job and the dashboard read them.
 */
public final class StatsScopes {

    private StatsScopes() {
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

    /** {@code role=R} alone. */
    public static boolean isRole(String scope) {
        return scope.startsWith("role=") && !scope.contains("/");
    }

    /** {@code tenant=T}. */
    public static boolean isTenant(String scope) {
        return scope.startsWith("tenant=") && !scope.contains("/");
    }
}
