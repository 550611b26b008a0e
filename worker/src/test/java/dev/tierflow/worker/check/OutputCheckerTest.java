package dev.tierflow.worker.check;

import static dev.tierflow.worker.check.Contracts.contract;
import static dev.tierflow.worker.check.Contracts.jsonSchema;
import static dev.tierflow.worker.check.Contracts.maxLength;
import static dev.tierflow.worker.check.Contracts.minQuality;
import static dev.tierflow.worker.check.Contracts.regex;
import static dev.tierflow.worker.check.Contracts.requiredFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.OutputContract;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OutputCheckerTest {

    private static final String INVOICE = """
            {"invoiceNumber": "INV-1042", "total": 129.5, "currency": "EUR"}
            """;

    private final OutputChecker checker = new OutputChecker();

    private CheckOutcome check(OutputContract contract, String output) {
        return checker.check(contract, output);
    }

    private static CheckOutcome failed(String detail) {
        return new CheckOutcome(false, detail);
    }

    private static final CheckOutcome PASSED = new CheckOutcome(true, null);

    @Test
    void withoutAContractEveryOutputPasses() {
        assertThat(check(null, "anything at all")).isEqualTo(PASSED);
        assertThat(check(null, null)).isEqualTo(PASSED);
    }

    @Test
    void aContractThatSetsNothingPassesEveryOutputWithoutParsingIt() {
        assertThat(check(contract().build(), "not JSON {")).isEqualTo(PASSED);
    }

    @Nested
    class MinQuality {

        @Test
        void aQualityAtOrAboveTheMinimumPasses() {
            assertThat(checker.check(minQuality(0.5), "any text", 0.5)).isEqualTo(PASSED);
            assertThat(checker.check(minQuality(0.5), "any text", 1.0)).isEqualTo(PASSED);
        }

        @Test
        void aLowerQualityFailsWithBothScores() {
            assertThat(checker.check(minQuality(0.5), "any text", 0.25))
                    .isEqualTo(failed("minQuality: quality 0.25 is below the contract's 0.5"));
        }

        @Test
        void anAnswerWithoutAQualityFailsAndSaysSo() {
            assertThat(checker.check(minQuality(0.5), "any text", null))
                    .isEqualTo(failed("minQuality: the answer has no quality score, the contract needs at least 0.5"));
            assertThat(check(minQuality(0.5), "any text")).isEqualTo(checker.check(minQuality(0.5), "any text", null));
        }

        @Test
        void aMinimumOutsideZeroToOneIsABrokenContract() {
            assertThat(checker.check(minQuality(1.5), "any text", 1.0))
                    .isEqualTo(failed("minQuality: the contract is invalid, minQuality must be in [0,1], was 1.5"));
        }

        @Test
        void withoutAMinimumTheQualityDoesNotMatter() {
            assertThat(checker.check(maxLength(10), "short", 0.0)).isEqualTo(PASSED);
            assertThat(checker.check(maxLength(10), "short", null)).isEqualTo(PASSED);
        }

        @Test
        void itIsCheckedBeforeTheText() {
            OutputContract both = contract().setMinQuality(0.5).setMaxLength(3).build();
            assertThat(checker.check(both, "too long", 0.0).detail()).startsWith("minQuality:");
            assertThat(checker.check(both, "too long", 0.9).detail()).startsWith("maxLength:");
        }
    }

    @Nested
    class MaxLength {

        @Test
        void anOutputUpToTheLimitPasses() {
            assertThat(check(maxLength(500), "x".repeat(500))).isEqualTo(PASSED);
            assertThat(check(maxLength(0), "")).isEqualTo(PASSED);
        }

        @Test
        void aLongerOutputFailsWithBothLengths() {
            assertThat(check(maxLength(500), "x".repeat(812)))
                    .isEqualTo(failed("maxLength: output has 812 characters, the contract allows 500"));
        }

        @Test
        void charactersAreCodePointsNotUtf16Units() {
            String threeEmoji = "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"; // Java length 6

            assertThat(check(maxLength(3), threeEmoji)).isEqualTo(PASSED);
            assertThat(check(maxLength(2), threeEmoji))
                    .isEqualTo(failed("maxLength: output has 3 characters, the contract allows 2"));
        }

        @Test
        void aNullOutputIsCheckedAsEmpty() {
            assertThat(check(maxLength(0), null)).isEqualTo(PASSED);
            assertThat(check(regex(".+"), null)).isEqualTo(failed("regex: output does not match .+"));
        }

        @Test
        void aNegativeLimitIsAnInvalidContract() {
            assertThat(check(maxLength(-1), ""))
                    .isEqualTo(failed("maxLength: the contract is invalid, maxLength must not be negative, was -1"));
        }
    }

    @Nested
    class Regex {

        @Test
        void anOutputMatchingTheWholeRegexPasses() {
            assertThat(check(regex("^INV-\\d+$"), "INV-1042")).isEqualTo(PASSED);
            assertThat(check(regex("INV-\\d+"), "INV-1042")).as("anchors are implied").isEqualTo(PASSED);
        }

        @Test
        void anOutputThatDoesNotMatchFailsNamingTheRegex() {
            assertThat(check(regex("^INV-\\d+$"), "INV-10x2"))
                    .isEqualTo(failed("regex: output does not match ^INV-\\d+$"));
        }

        @Test
        void aMatchInsideTheOutputIsNotEnough() {
            assertThat(check(regex("INV-\\d+"), "Here is your invoice: INV-1042"))
                    .isEqualTo(failed("regex: output does not match INV-\\d+"));
        }

        @Test
        void anInvalidRegexIsAnInvalidContract() {
            assertThat(check(regex("^INV-(\\d+$"), "INV-1042"))
                    .isEqualTo(failed("regex: the contract is invalid, not a Java regular expression: Unclosed group near index 10"));
        }

        @Test
        void aRegexThatBacktracksPastTheBudgetFailsInsteadOfHanging() {
            OutputChecker budgeted = new OutputChecker(10, 10_000);
            // a bounded repetition of .* tries every way to split the a's; Java memoizes (a+)+ but not this
            String as = "a".repeat(30);

            assertThat(budgeted.check(regex("(.*a){20}b"), as)).isEqualTo(failed(
                    "regex: gave up after 10000 steps matching (.*a){20}b against 30 characters (the regex backtracks too much for this output)"));
            assertThat(budgeted.check(regex("a+"), as)).as("a linear regex stays within the budget").isEqualTo(PASSED);
        }

        @Test
        @Timeout(30) // without a budget this match would run for longer than the universe has existed
        void theDefaultBudgetStopsACatastrophicRegexOnAnOrdinaryOutput() {
            assertThat(check(regex("(.*a){20}b"), "a".repeat(60)).detail())
                    .isEqualTo("regex: gave up after 10000000 steps matching (.*a){20}b against 60 characters "
                            + "(the regex backtracks too much for this output)");
        }

        @Test
        void aRegexThatRecursesTooDeeplyFailsInsteadOfThrowing() {
            // java.util.regex recurses once per repetition of (a|b); a million of them overflow any default stack
            String output = "ab".repeat(500_000);

            assertThat(check(regex("(a|b)*"), output))
                    .isEqualTo(failed("regex: (a|b)* recurses too deeply for an output of 1000000 characters"));
        }

        @Test
        void aRegexOnlyContractDoesNotNeedJson() {
            assertThat(check(regex("OK|DONE"), "OK")).isEqualTo(PASSED);
        }
    }

    @Nested
    class JsonParsing {

        @Test
        void proseIsNotJson() {
            assertThat(check(requiredFields("invoiceNumber"), "Sure! Here is the invoice: " + INVOICE))
                    .isEqualTo(failed("output is not JSON: Unrecognized token 'Sure': was expecting "
                            + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1, column 5"));
        }

        @Test
        void anEmptyOutputIsNotJson() {
            assertThat(check(requiredFields("invoiceNumber"), " \n")).isEqualTo(failed("output is not JSON: it is empty"));
        }

        @Test
        void truncatedJsonIsNotJson() {
            assertThat(check(jsonSchema("{}"), "{\"invoiceNumber\": \"INV-1"))
                    .isEqualTo(failed("output is not JSON: Unexpected end-of-input: was expecting closing quote for a string value at line 1, column 25"));
        }

        @Test
        void aSecondValueAfterTheFirstIsRefused() {
            assertThat(check(requiredFields("a"), "{\"a\": 1}\n{\"a\": 2}"))
                    .isEqualTo(failed("output is not JSON: more text follows the JSON value at line 2, column 1"));
        }

        @Test
        void aKeyGivenTwiceIsRefused() {
            assertThat(check(requiredFields("a"), "{\"a\": 1, \"a\": 2}"))
                    .isEqualTo(failed("output is not JSON: Duplicate field 'a' at line 1, column 13"));
        }
    }

    @Nested
    class RequiredFields {

        @Test
        void anObjectWithEveryFieldPasses() {
            assertThat(check(requiredFields("invoiceNumber", "total"), INVOICE)).isEqualTo(PASSED);
        }

        @Test
        void aFieldPresentWithANullValueCountsAsPresent() {
            assertThat(check(requiredFields("total"), "{\"total\": null}")).isEqualTo(PASSED);
        }

        @Test
        void aMissingFieldIsNamed() {
            assertThat(check(requiredFields("invoiceNumber"), "{\"total\": 12}"))
                    .isEqualTo(failed("requiredFields: missing 'invoiceNumber'"));
        }

        @Test
        void everyMissingFieldIsNamedOnce() {
            assertThat(check(requiredFields("invoiceNumber", "total", "dueDate", "invoiceNumber"), "{\"total\": 12}"))
                    .isEqualTo(failed("requiredFields: missing 'invoiceNumber', 'dueDate'"));
        }

        @Test
        void onlyTopLevelFieldsCount() {
            assertThat(check(requiredFields("invoiceNumber"), "{\"invoice\": {\"invoiceNumber\": \"INV-1\"}}"))
                    .isEqualTo(failed("requiredFields: missing 'invoiceNumber'"));
        }

        @Test
        void anArrayIsNotAnObject() {
            assertThat(check(requiredFields("invoiceNumber"), "[" + INVOICE + "]"))
                    .isEqualTo(failed("requiredFields: output is a JSON array, not an object"));
        }

        @Test
        void aScalarIsNotAnObject() {
            assertThat(check(requiredFields("invoiceNumber"), "\"INV-1042\""))
                    .isEqualTo(failed("requiredFields: output is a JSON string, not an object"));
            assertThat(check(requiredFields("invoiceNumber"), "null"))
                    .isEqualTo(failed("requiredFields: output is JSON null, not an object"));
        }
    }

    @Nested
    class OrderOfChecks {

        @Test
        void maxLengthIsCheckedBeforeTheRegex() {
            OutputContract both = contract().setMaxLength(5).setRegex("\\d+").build();

            assertThat(check(both, "INV-1042")).isEqualTo(failed("maxLength: output has 8 characters, the contract allows 5"));
        }

        @Test
        void theRegexIsCheckedBeforeJson() {
            OutputContract both = contract().setRegex("\\{.*\\}").setRequiredFields(List.of("a")).build();

            assertThat(check(both, "not json")).isEqualTo(failed("regex: output does not match \\{.*\\}"));
        }

        @Test
        void requiredFieldsAreCheckedBeforeTheSchema() {
            OutputContract both = contract().setRequiredFields(List.of("invoiceNumber"))
                    .setJsonSchema("{\"properties\": {\"total\": {\"type\": \"number\"}}}").build();

            assertThat(check(both, "{\"total\": \"12\"}")).isEqualTo(failed("requiredFields: missing 'invoiceNumber'"));
        }

        @Test
        void anInvalidContractIsReportedWhateverTheOutput() {
            OutputContract broken = contract().setMaxLength(5).setJsonSchema("{\"type\": \"strnig\"}").build();

            assertThat(check(broken, "far too long and not JSON").detail())
                    .startsWith("jsonSchema: the contract is invalid, ");
        }

        @Test
        void anOutputPassesOnlyWhenEveryPartHolds() {
            OutputContract all = contract()
                    .setMaxLength(200)
                    .setRegex("(?s)\\s*\\{.*\\}\\s*")
                    .setRequiredFields(List.of("invoiceNumber", "total"))
                    .setJsonSchema("{\"properties\": {\"total\": {\"type\": \"number\", \"minimum\": 0}}}")
                    .build();

            assertThat(check(all, INVOICE)).isEqualTo(PASSED);
            assertThat(check(all, INVOICE.replace("129.5", "-1")))
                    .isEqualTo(failed("jsonSchema: $.total: must have a minimum value of 0"));
        }
    }
}
