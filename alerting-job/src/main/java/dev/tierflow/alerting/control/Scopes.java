package dev.tierflow.alerting.control;

/**
 * Stats scopes and the policy scopes actions apply to. A stats scope's action scope is the scope
 * without its tier ({@code role=worker/type=extract/tier=small} acts on {@code role=worker/type=extract}):
 * the router's overrides are keyed by tenant, role and type, and moving a scope's tier is the action.
 */
public final class Scopes {

    private static final String TIER_PART = "/tier=";

    private Scopes() {
    }

    /** The policy scope actions on {@code statsScope} change, or null for scopes nothing acts on ({@code model=...}). */
    public static String actionScope(String statsScope) {
        if (statsScope.startsWith("model=")) {
            return null;
        }
        int tier = statsScope.indexOf(TIER_PART);
        return tier < 0 ? statsScope : statsScope.substring(0, tier);
    }

    /** The tier a stats scope names, or null. */
    static String tierOf(String statsScope) {
        int tier = statsScope.indexOf(TIER_PART);
        return tier < 0 ? null : statsScope.substring(tier + TIER_PART.length());
    }

    static String value(String scope, String key) {
        for (String part : scope.split("/")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return null;
    }
}
