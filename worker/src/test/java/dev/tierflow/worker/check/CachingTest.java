package dev.tierflow.worker.check;

import static dev.tierflow.worker.check.Contracts.jsonSchema;
import static dev.tierflow.worker.check.Contracts.regex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.OutputContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiled regexes and schemas are reused by their text; reuse never changes an outcome. */
class CachingTest {

    private static final String SCHEMA = "{\"properties\": {\"total\": {\"type\": \"number\"}}}";

    @Test
    void theSameContractTextTwiceGivesTheSameOutcomesAndCompilesOnce() {
        OutputChecker checker = new OutputChecker();
        // two contract records with equal text, as two tasks of the same type carry them
        OutputContract first = jsonSchema(SCHEMA);
        OutputContract second = jsonSchema(new String(SCHEMA.toCharArray()));

        List<CheckOutcome> before = List.of(checker.check(first, "{\"total\": 1}"), checker.check(first, "{\"total\": \"1\"}"));
        List<CheckOutcome> after = List.of(checker.check(second, "{\"total\": 1}"), checker.check(second, "{\"total\": \"1\"}"));

        assertThat(after).isEqualTo(before);
        assertThat(before).extracting(CheckOutcome::passed).containsExactly(true, false);
        assertThat(checker.cachedSchemas()).isEqualTo(1);
    }

    @Test
    void anInvalidContractIsCachedWithItsProblem() {
        OutputChecker checker = new OutputChecker();

        CheckOutcome first = checker.check(regex("(unclosed"), "x");
        CheckOutcome second = checker.check(regex("(unclosed"), "x");

        assertThat(second).isEqualTo(first);
        assertThat(first.detail()).startsWith("regex: the contract is invalid");
        assertThat(checker.cachedRegexes()).isEqualTo(1);
    }

    @Test
    void theCachesAreBoundedAndAnEvictedContractStillChecksTheSame() {
        OutputChecker checker = new OutputChecker(2);
        String[] regexes = {"a+", "b+", "c+"};

        for (String regex : regexes) {
            checker.check(regex(regex), "aaa");
        }

        assertThat(checker.cachedRegexes()).isEqualTo(2);
        assertThat(checker.check(regex("a+"), "aaa").passed()).as("a+ was evicted and is compiled again").isTrue();
        assertThat(checker.check(regex("c+"), "aaa").passed()).isFalse();
    }
}
