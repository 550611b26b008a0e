package dev.tierflow.worker.check;

import static dev.tierflow.worker.check.Contracts.jsonSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A schema's {@code pattern} and {@code patternProperties} are matched under the same work limit as the contract's
 * {@code regex}: a catastrophic pattern fails the check, it does not hold the worker's thread. Each test is bounded
 * preemptively, so a regression fails instead of hanging the build.
 */
class SchemaPatternLimitTest {

    /**
     * Without the limit, each catastrophic match would run for longer than the universe has existed; with it, well
     * under a second of CPU. Generous, for a loaded machine: the bound only turns a hang into a failure.
     */
    private static final Duration BOUND = Duration.ofSeconds(60);
    /**
     * Backtracks exponentially in java.util.regex. (The textbook {@code ^(a+)+$} does not: since Java 9 the engine
     * remembers where a greedy loop failed, but not for a counted repetition like this one.)
     */
    private static final String CATASTROPHIC = "(.*a){20}b";
    /** The pattern tries every way to split 60 a's into 20 runs before it gives up at each start. */
    private static final String EVIL = "a".repeat(60);

    private final OutputChecker checker = new OutputChecker();
    private final OutputChecker smallLimit = new OutputChecker(10, 100_000);

    private CheckOutcome check(OutputChecker checker, String schema, String output) {
        return assertTimeoutPreemptively(BOUND, () -> checker.check(jsonSchema(schema), output));
    }

    @Test
    void aCatastrophicPatternFailsTheCheckWithinTheLimit() {
        String schema = "{\"type\": \"string\", \"pattern\": \"" + CATASTROPHIC + "\"}";

        assertThat(check(checker, schema, "\"" + EVIL + "\"")).isEqualTo(CheckOutcome.fail(
                "jsonSchema: gave up after 10000000 steps matching the pattern (.*a){20}b against a string of 60 characters "
                        + "(the pattern backtracks too much for this output)"));
    }

    @Test
    void aCatastrophicPatternPropertyFailsTheCheckWithinTheLimit() {
        String schema = "{\"patternProperties\": {\"" + CATASTROPHIC + "\": {\"type\": \"integer\"}}}";

        assertThat(check(smallLimit, schema, "{\"" + EVIL + "\": 1}")).isEqualTo(CheckOutcome.fail(
                "jsonSchema: gave up after 100000 steps matching the pattern (.*a){20}b against a string of 60 characters "
                        + "(the pattern backtracks too much for this output)"));
    }

    @Test
    void aCatastrophicPatternInsidePropertyNamesFailsTheCheckWithinTheLimit() {
        String schema = "{\"propertyNames\": {\"pattern\": \"" + CATASTROPHIC + "\"}}";

        assertThat(check(smallLimit, schema, "{\"" + EVIL + "\": 1}").detail())
                .startsWith("jsonSchema: gave up after 100000 steps matching the pattern (.*a){20}b");
    }

    @Test
    void theLimitIsSharedByEveryPatternMatchOfOneCheck() {
        // "^a*$" reads each character once, and about once more to settle: far within 100 steps for one string,
        // but 30 strings of 5 characters together need more than 100
        OutputChecker budgeted = new OutputChecker(10, 100);
        String schema = "{\"items\": {\"type\": \"string\", \"pattern\": \"^a*$\"}}";
        String thirty = "[" + String.join(",", java.util.Collections.nCopies(30, "\"aaaaa\"")) + "]";

        assertThat(check(budgeted, schema, "[\"aaaaa\"]")).isEqualTo(CheckOutcome.pass());
        assertThat(check(budgeted, schema, thirty)).isEqualTo(CheckOutcome.fail(
                "jsonSchema: gave up after 100 steps matching the pattern ^a*$ against a string of 5 characters "
                        + "(the pattern backtracks too much for this output)"));
    }

    @Test
    void eachCheckHasAFreshLimit() {
        OutputChecker budgeted = new OutputChecker(10, 100);
        String schema = "{\"type\": \"string\", \"pattern\": \"^a*$\"}";

        for (int i = 0; i < 50; i++) {
            assertThat(check(budgeted, schema, "\"aaaaa\"")).isEqualTo(CheckOutcome.pass());
        }
    }

    @Test
    void aPatternStillSearchesTheStringAsJsonSchemaSays() {
        // ECMA-262 semantics: a pattern is not anchored, it matches anywhere in the string
        String schema = "{\"type\": \"string\", \"pattern\": \"[0-9]+\"}";

        assertThat(check(checker, schema, "\"INV-42\"")).isEqualTo(CheckOutcome.pass());
        assertThat(check(checker, schema, "\"INV-\"").detail())
                .isEqualTo("jsonSchema: $: does not match the regex pattern [0-9]+");
    }

    @Test
    void aPatternThatRecursesTooDeeplyFailsTheCheck() {
        // java.util.regex recurses once per repetition of (a|b); a million of them overflow any default stack
        String schema = "{\"type\": \"string\", \"pattern\": \"^(a|b)*$\"}";

        assertThat(check(checker, schema, "\"" + "ab".repeat(500_000) + "\"")).isEqualTo(CheckOutcome.fail(
                "jsonSchema: the pattern ^(a|b)*$ recurses too deeply for a string of 1000000 characters"));
    }
}
