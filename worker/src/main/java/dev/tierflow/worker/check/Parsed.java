package dev.tierflow.worker.check;

/**
 * Text turned into something usable (a compiled regex or schema, a JSON tree), or the reason it could
 * not be. Kept as a value rather than thrown so that a broken contract is cached like a good one and
 * not re-parsed for every task that carries it.
 */
record Parsed<T>(T value, String problem) {

    static <T> Parsed<T> of(T value) {
        return new Parsed<>(value, null);
    }

    static <T> Parsed<T> invalid(String problem) {
        return new Parsed<>(null, problem);
    }

    boolean isValid() {
        return problem == null;
    }
}
