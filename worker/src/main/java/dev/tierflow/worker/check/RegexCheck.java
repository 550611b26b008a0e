package dev.tierflow.worker.check;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The contract's {@code regex}: a Java regular expression the whole output must match
 * ({@link java.util.regex.Matcher#matches()}, not a search within it).
 *
 * <p>The output comes from a model and the regex from whoever wrote the contract, so a backtracking-heavy
 * regex on a long output could hold a worker thread for minutes. Matching therefore has a budget of
 * character reads; past it the check fails. Counting reads rather than time keeps the outcome the same on
 * every run and every machine.
 */
final class RegexCheck {

    /** Ample for a linear regex over megabytes of output; a fraction of a second of CPU when exhausted. */
    static final long DEFAULT_MAX_STEPS = 10_000_000L;

    private final BoundedCache<String, Parsed<Pattern>> patterns;
    private final long maxSteps;

    RegexCheck(int cacheCapacity, long maxSteps) {
        this.patterns = new BoundedCache<>(cacheCapacity);
        this.maxSteps = maxSteps;
    }

    /** The compiled regex, or why the contract's regex is not one; cached by its text. */
    Parsed<Pattern> compile(String regex) {
        return patterns.get(regex, RegexCheck::compileUncached);
    }

    CheckOutcome check(Pattern pattern, String output) {
        try {
            if (pattern.matcher(new StepLimitedText(output, maxSteps)).matches()) {
                return CheckOutcome.pass();
            }
            return CheckOutcome.fail("regex: output does not match " + pattern.pattern());
        } catch (StepLimitedText.BudgetExceeded e) {
            return CheckOutcome.fail("regex: gave up after " + maxSteps + " steps matching " + pattern.pattern()
                    + " against " + output.length() + " characters (the regex backtracks too much for this output)");
        } catch (StackOverflowError e) {
            // java.util.regex recurses per repetition of some groups, e.g. (a|b)* over a long output
            return CheckOutcome.fail("regex: " + pattern.pattern() + " recurses too deeply for an output of "
                    + output.length() + " characters");
        }
    }

    int cachedPatterns() {
        return patterns.size();
    }

    private static Parsed<Pattern> compileUncached(String regex) {
        try {
            return Parsed.of(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            String near = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
            return Parsed.invalid("regex: the contract is invalid, not a Java regular expression: " + e.getDescription() + near);
        }
    }
}
