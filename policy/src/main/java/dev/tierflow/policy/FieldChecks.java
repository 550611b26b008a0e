package dev.tierflow.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.function.BiConsumer;

/** Checks of single values shared by the parts of the loader. */
final class FieldChecks {

    private FieldChecks() {
    }

    /**
     * The ISO-8601 duration in {@code text}, or {@code fallback} when it is absent; a value that does not
     * parse or is not positive is reported (and {@code fallback} returned, so checking can go on).
     */
    static Duration positiveDuration(String field, String text, Duration fallback, BiConsumer<String, String> problem) {
        if (text == null) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative() || duration.isZero()) {
                problem.accept(field, "must be positive, was " + text);
            }
            return duration;
        } catch (DateTimeParseException e) {
            problem.accept(field, "must be an ISO-8601 duration such as PT60S, was '" + text + "'");
            return fallback;
        }
    }
}
