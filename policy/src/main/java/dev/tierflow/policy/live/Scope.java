package dev.tierflow.policy.live;

import dev.tierflow.schemas.ScopeNames;
import java.util.Objects;

/**
 * What a live override applies to: some of tenant, role and task type. Written as key=value pairs
 * joined by '/', e.g. {@code role=worker/type=extract}; {@link #toString()} gives the canonical form
 * (tenant, role, type in that order). Null parts match any value. A value must be a valid scope name
 * ({@link ScopeNames#problem}): no '/', '=', '*' or control characters, so a scope reads back as the
 * names it was built from.
 */
public record Scope(String tenant, String role, String type) {

    public static final int TENANT = 1;
    public static final int ROLE = 2;
    public static final int TYPE = 4;

    /** Parses a scope string; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Scope parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("scope is empty");
        }
        String tenant = null;
        String role = null;
        String type = null;
        for (String part : text.split("/", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("scope part '" + part + "' is not key=value");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            String problem = ScopeNames.problem(value);
            if (problem != null) {
                throw new IllegalArgumentException("scope " + key + " '" + value + "' " + problem);
            }
            switch (key) {
                case "tenant" -> tenant = once(key, tenant, value);
                case "role" -> role = once(key, role, value);
                case "type" -> type = once(key, type, value);
                default -> throw new IllegalArgumentException("scope key '" + key + "' is not one of tenant, role, type");
            }
        }
        return new Scope(tenant, role, type);
    }

    /**
     * The scope whose own key ({@link #toString()}) {@code key} is, or null when it is none: on the compacted
     * {@code policy} topic each scope has one key, so a record under any other spelling never set an override.
     */
    public static Scope ofKey(String key) {
        try {
            Scope scope = parse(key);
            return scope.toString().equals(key) ? scope : null;
        } catch (IllegalArgumentException notAScope) {
            return null;
        }
    }

    private static String once(String key, String previous, String value) {
        if (previous != null) {
            throw new IllegalArgumentException("scope names '" + key + "' twice");
        }
        return value;
    }

    /** Which parts are set, as a bit mask of {@link #TENANT}, {@link #ROLE}, {@link #TYPE}. */
    public int shape() {
        return (tenant != null ? TENANT : 0) | (role != null ? ROLE : 0) | (type != null ? TYPE : 0);
    }

    /** The scope of the given shape that a task with these values falls in. */
    public static Scope of(int shape, String tenant, String role, String type) {
        return new Scope((shape & TENANT) != 0 ? tenant : null, (shape & ROLE) != 0 ? role : null, (shape & TYPE) != 0 ? type : null);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        append(out, "tenant", tenant);
        append(out, "role", role);
        append(out, "type", type);
        return out.toString();
    }

    private static void append(StringBuilder out, String key, String value) {
        if (value != null) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(key).append('=').append(Objects.requireNonNull(value));
        }
    }
}
