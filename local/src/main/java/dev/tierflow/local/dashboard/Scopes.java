package dev.tierflow.local.dashboard;

/** The shapes of stats scopes the dashboard tells apart, by their keys ({@code role=R/type=T/tier=X}). */
public final class Scopes {

    private Scopes() {
    }

    static boolean isRoleTypeTier(String scope) {
        String[] parts = scope.split("/", -1);
        return parts.length == 3 && parts[0].startsWith("role=") && parts[1].startsWith("type=") && parts[2].startsWith("tier=");
    }

    /** {@code role=worker/type=extract/tier=small} → {@code worker · extract · small}: the values, for chart labels. */
    static String label(String scope) {
        StringBuilder label = new StringBuilder();
        for (String part : scope.split("/", -1)) {
            if (label.length() > 0) {
                label.append(" · ");
            }
            label.append(part.substring(part.indexOf('=') + 1));
        }
        return label.toString();
    }
}
