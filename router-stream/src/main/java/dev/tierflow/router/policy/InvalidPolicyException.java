package dev.tierflow.router.policy;

import java.util.List;

/** A policy file that cannot be used; the message names each field and its problem. */
public final class InvalidPolicyException extends RuntimeException {

    private final List<String> problems;

    public InvalidPolicyException(String source, List<String> problems) {
        super("invalid policy " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as "field: what is wrong". */
    public List<String> problems() {
        return problems;
    }
}
