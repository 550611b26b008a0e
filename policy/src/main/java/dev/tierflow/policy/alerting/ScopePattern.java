package dev.tierflow.policy.alerting;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The scope an alerting rule applies to, written the way the stats records name theirs
 * ({@code role=worker/type=extract}), with {@code *} standing for any value of a key. A pattern matches
 * only scopes of its own shape: {@code role=*} matches {@code role=worker} but not
 * {@code role=worker/type=extract}, so a rule never judges a window it was not written for.
 */
public final class ScopePattern implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The value that matches any value of its key. */
    public static final String ANY = "*";

    /** The shapes a scope can have: its keys, in this order. */
    public enum Shape {
        ROLE("role=R", "role"),
        ROLE_TYPE("role=R/type=T", "role", "type"),
        ROLE_TYPE_TIER("role=R/type=T/tier=X", "role", "type", "tier"),
        TENANT("tenant=N", "tenant");

        private final String example;
        private final List<String> keys;

        Shape(String example, String... keys) {
            this.example = example;
            this.keys = List.of(keys);
        }

        public List<String> keys() {
            return keys;
        }

        /** How a person writes it, e.g. {@code role=R/type=T}. */
        public String example() {
            return example;
        }

        static Shape of(List<String> keys) {
            return Arrays.stream(values()).filter(shape -> shape.keys.equals(keys)).findFirst().orElse(null);
        }
    }

    /**
     * Most specific first: more exact values first; between as many, the one exact at the earlier key
     * (role before type before tier). Two distinct patterns that match the same scope are never equal here.
     */
    public static final Comparator<ScopePattern> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt(ScopePattern::exactValues).reversed()
            .thenComparing(ScopePattern::exactPositions, Comparator.reverseOrder());

    private static final List<String> KEYS = List.of("role", "type", "tier", "tenant");

    private final Shape shape;
    private final List<String> values;

    private ScopePattern(Shape shape, List<String> values) {
        this.shape = shape;
        this.values = List.copyOf(values);
    }

    /**
     * Parses {@code key=value} parts joined by {@code /}: {@code role}, {@code role/type},
     * {@code role/type/tier} or {@code tenant} alone; a value is a whole name or {@code *}.
     *
     * @throws IllegalArgumentException saying what is wrong, in words fit for a field problem
     */
    public static ScopePattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is required, e.g. role=worker or role=worker/type=*");
        }
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String part : text.split("/", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + part + "' in '" + text + "' is not key=value");
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' in '" + text + "' (keys are role, type, tier, tenant)");
            }
            String valueProblem = valueProblem(value);
            if (valueProblem != null) {
                throw new IllegalArgumentException("the " + key + " in '" + text + "' " + valueProblem);
            }
            keys.add(key);
            values.add(value);
        }
        Shape shape = Shape.of(keys);
        if (shape == null) {
            throw new IllegalArgumentException("'" + text + "' has its keys in the wrong order or mixed: write role=R, role=R/type=T,"
                    + " role=R/type=T/tier=X or tenant=N");
        }
        return new ScopePattern(shape, values);
    }

    private static String valueProblem(String value) {
        if (value.isEmpty()) {
            return "is empty (write * for any)";
        }
        if (!value.equals(ANY) && value.contains(ANY)) {
            return "uses * inside a name: * stands for a whole value, not part of one";
        }
        if (value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '=')) {
            return "must not contain spaces or '='";
        }
        return null;
    }

    /** True when the stats scope has exactly this shape and every value is equal or matched by {@code *}. */
    public boolean matches(String statsScope) {
        if (statsScope == null) {
            return false;
        }
        String[] parts = statsScope.split("/", -1);
        if (parts.length != values.size()) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            String prefix = shape.keys.get(i) + "=";
            if (!parts[i].startsWith(prefix)) {
                return false;
            }
            String value = values.get(i);
            if (!value.equals(ANY) && !value.equals(parts[i].substring(prefix.length()))) {
                return false;
            }
        }
        return true;
    }

    public Shape shape() {
        return shape;
    }

    /** The value written for a key ({@code *} included), or null when the shape has no such key. */
    public String value(String key) {
        int i = shape.keys.indexOf(key);
        return i < 0 ? null : values.get(i);
    }

    /** How many values are exact names rather than {@code *}. */
    public int exactValues() {
        return (int) values.stream().filter(value -> !value.equals(ANY)).count();
    }

    /** Which positions are exact, read as a word with role as the highest letter: "110" for role=a/type=b/tier=*. */
    private String exactPositions() {
        return IntStream.range(0, values.size()).mapToObj(i -> values.get(i).equals(ANY) ? "0" : "1").collect(Collectors.joining());
    }

    /** The canonical text: {@code key=value} parts joined by {@code /}. */
    @Override
    public String toString() {
        return IntStream.range(0, values.size()).mapToObj(i -> shape.keys.get(i) + "=" + values.get(i)).collect(Collectors.joining("/"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopePattern other && shape == other.shape && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + values.hashCode();
    }
}
