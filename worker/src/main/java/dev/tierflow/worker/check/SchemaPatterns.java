package dev.tierflow.worker.check;

import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The regular expressions of JSON Schema ({@code pattern}, {@code patternProperties}, a {@code pattern} inside
 * {@code propertyNames}...) for the validator, matched under the same work limit as the contract's {@code regex}:
 * a budget of character reads ({@link StepLimitedText}). All the matches of one {@link #within} call, one check of
 * one output, share one budget, so an output with many strings cannot multiply the limit.
 *
 * <p>Plugged into networknt's validator as its {@link RegularExpressionFactory}; like the library's default JDK
 * factory it compiles with {@link Pattern} and searches the string ({@code find}), as ECMA-262 patterns do. Past
 * the budget, or when {@code java.util.regex} recurses too deeply, a match throws a {@link GaveUp} naming the
 * pattern, which the check reports as its failure.
 */
final class SchemaPatterns implements RegularExpressionFactory {

    /** A pattern match that was stopped; its message is the check's detail after "jsonSchema: ". */
    static final class GaveUp extends JsonSchemaException {
        // a JsonSchemaException, not any RuntimeException: the library's PatternValidator logs those as errors
        GaveUp(String message) {
            super(message);
        }
    }

    private final long maxSteps;
    /** The budget of the check running on this thread; compiled schemas, and so their patterns, are shared. */
    private final ThreadLocal<StepLimitedText.Budget> current = new ThreadLocal<>();

    SchemaPatterns(long maxSteps) {
        this.maxSteps = maxSteps;
    }

    /** Runs {@code validation} with one fresh budget of {@code maxSteps} reads for all its pattern matches. */
    <T> T within(Supplier<T> validation) {
        StepLimitedText.Budget outer = current.get();
        current.set(new StepLimitedText.Budget(maxSteps));
        try {
            return validation.get();
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        // a regex that is not one throws PatternSyntaxException (one nested too deeply to compile too), as the
        // library's own JDK factory does: "format": "regex" counts that as "not a regex"
        Pattern pattern = Pattern.compile(regex);
        return value -> matches(pattern, value);
    }

    private boolean matches(Pattern pattern, String value) {
        StepLimitedText.Budget budget = current.get();
        if (budget == null) {
            budget = new StepLimitedText.Budget(maxSteps); // outside a check: a budget for this match alone
        }
        try {
            return pattern.matcher(new StepLimitedText(value, budget)).find();
        } catch (StepLimitedText.BudgetExceeded e) {
            throw new GaveUp("gave up after " + budget.limit() + " steps matching the pattern " + pattern.pattern()
                    + " against a string of " + value.length() + " characters (the pattern backtracks too much for this output)");
        } catch (StackOverflowError e) {
            // java.util.regex recurses per repetition of some groups, e.g. (a|b)* over a long string
            throw new GaveUp("the pattern " + pattern.pattern() + " recurses too deeply for a string of "
                    + value.length() + " characters");
        }
    }
}
