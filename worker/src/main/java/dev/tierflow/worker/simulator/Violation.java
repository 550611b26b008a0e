package dev.tierflow.worker.simulator;

import java.util.ArrayList;
import java.util.List;

/** The ways a non-compliant simulated output breaks its contract. */
enum Violation {
    /** A JSON object without one of the fields the contract requires. */
    MISSING_FIELD,
    /** Plain prose where JSON was expected. */
    NOT_JSON,
    /** More characters than the contract's maximum. */
    TOO_LONG;

    /** The violations that the shape makes detectable; empty when nothing can be violated for sure. */
    static List<Violation> possibleFor(ExpectedShape shape) {
        List<Violation> possible = new ArrayList<>(3);
        if (!shape.fields().isEmpty()) {
            possible.add(MISSING_FIELD);
        }
        if (shape.json()) {
            possible.add(NOT_JSON);
        }
        if (shape.maxLength() != null) {
            possible.add(TOO_LONG);
        }
        return possible;
    }
}
