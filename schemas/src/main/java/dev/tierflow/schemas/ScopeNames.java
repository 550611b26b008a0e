package dev.tierflow.schemas;

/**
 * What a role, task type, tenant, tier or model name may contain, so that every scope built from it
 * ({@code role=R/type=T}, {@code tenant=N}, see {@link StatsScopes}) reads back as exactly the names it was
 * built from. A name with {@code /} or {@code =} would forge a scope of another shape ({@code role=a/type=b}
 * as a role would land in role {@code a}'s type {@code b}), and {@code *} is a pattern's wildcard. Such names
 * are refused where records enter (the router, the attribution job, the policy topic's readers) rather than
 * escaped: a refused name reaches a dead-letter topic with its reason, an escaped one would still look like
 * another scope to a person reading the stats or writing an override by hand.
 */
public final class ScopeNames {

    /** Longer names are refused too: a scope is a Kafka key and a metrics label. */
    public static final int MAX_LENGTH = 200;

    private ScopeNames() {
    }

    /** Why {@code name} cannot be part of a scope, or null when it can. Null and empty names are the caller's to judge. */
    public static String problem(String name) {
        if (name == null) {
            return null;
        }
        if (name.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '=' || c == '*') {
                return "must not contain '" + c + "' (it would read as another scope), at index " + i;
            }
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !validSurrogatePair(name, i)) {
                return "must not contain control characters or lone surrogates, found U+"
                        + String.format("%04X", (int) c) + " at index " + i;
            }
        }
        return null;
    }

    /** Whether {@code name} can be part of a scope. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static boolean validSurrogatePair(String name, int i) {
        char c = name.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(name.charAt(i - 1));
    }
}
