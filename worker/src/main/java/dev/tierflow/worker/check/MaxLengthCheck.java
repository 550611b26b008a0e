package dev.tierflow.worker.check;

/**
 * The contract's {@code maxLength}: the most characters the output may have. Characters are Unicode code
 * points, as JSON Schema's {@code maxLength} counts them, so an emoji or a CJK supplement character
 * counts once rather than as the two UTF-16 units Java stores it in.
 */
final class MaxLengthCheck {

    private MaxLengthCheck() {
    }

    /** Why the contract's own maxLength is unusable, or null if it is fine. */
    static String contractProblem(int maxLength) {
        return maxLength < 0 ? "maxLength: the contract is invalid, maxLength must not be negative, was " + maxLength : null;
    }

    static CheckOutcome check(int maxLength, String output) {
        int characters = output.codePointCount(0, output.length());
        if (characters > maxLength) {
            return CheckOutcome.fail("maxLength: output has " + characters + " characters, the contract allows " + maxLength);
        }
        return CheckOutcome.pass();
    }
}
