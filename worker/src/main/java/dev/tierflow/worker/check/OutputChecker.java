package dev.tierflow.worker.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.tierflow.schemas.OutputContract;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic check of a model's output against its task's {@link OutputContract}. Every part of
 * the contract that is set must hold; the first part that does not is reported, in words.
 *
 * <p>Order: the contract itself first (a broken regex, schema, maxLength or minQuality fails every output, so it
 * is reported as such whatever the output is), then {@code minQuality} (the answer's quality score, not its
 * text), {@code maxLength}, {@code regex} (the whole output must
 * match), JSON parsing (only when {@code requiredFields} or {@code jsonSchema} are set),
 * {@code requiredFields}, and {@code jsonSchema}. Cheap checks come first, and a parse error is reported
 * once rather than as a failure of each JSON check.
 *
 * <p>Never throws on a contract or an output: whatever is wrong becomes a failed {@link CheckOutcome}, and so
 * does anything a check throws, an Error included ({@code "check errored: ..."}).
 * Thread-safe; compiled regexes and schemas are cached by their text in bounded caches, since the same
 * contracts repeat across many tasks. One instance per worker is meant to be shared.
 */
public final class OutputChecker {

    private static final Logger LOG = LoggerFactory.getLogger(OutputChecker.class);
    /** The most characters of an error's message a failed check quotes. */
    private static final int MAX_ERROR_MESSAGE = 200;

    /** Distinct regexes, and distinct schemas, kept compiled. */
    public static final int DEFAULT_CACHE_CAPACITY = 1_000;

    private final RegexCheck regexes;
    private final JsonSchemaCheck schemas;

    public OutputChecker() {
        this(DEFAULT_CACHE_CAPACITY);
    }

    /** @param cacheCapacity how many distinct regexes, and how many distinct schemas, to keep compiled */
    public OutputChecker(int cacheCapacity) {
        this(cacheCapacity, RegexCheck.DEFAULT_MAX_STEPS);
    }

    /** @param regexMaxSteps the work limit of the contract's regex, and of a schema's patterns together, per output */
    OutputChecker(int cacheCapacity, long regexMaxSteps) {
        this.regexes = new RegexCheck(cacheCapacity, regexMaxSteps);
        this.schemas = new JsonSchemaCheck(cacheCapacity, regexMaxSteps);
    }

    /**
     * Checks {@code output}, an answer without a quality score, against {@code contract}: as
     * {@link #check(OutputContract, String, Double)} with a null quality.
     */
    public CheckOutcome check(OutputContract contract, String output) {
        return check(contract, output, null);
    }

    /**
     * Checks {@code output}, with the quality score its backend reported (null when unknown), against
     * {@code contract}. A null contract passes (detail null). A null output is checked as the empty text.
     */
    public CheckOutcome check(OutputContract contract, String output, Double quality) {
        return guarded(() -> checkUnguarded(contract, output, quality));
    }

    private CheckOutcome checkUnguarded(OutputContract contract, String output, Double quality) {
        if (contract == null) {
            return CheckOutcome.pass();
        }
        String text = output == null ? "" : output;
        Integer maxLength = contract.getMaxLength();
        List<String> requiredFields = contract.getRequiredFields() == null ? List.of() : contract.getRequiredFields();

        Double minQuality = contract.getMinQuality();
        String minQualityProblem = minQuality == null ? null : MinQualityCheck.contractProblem(minQuality);
        if (minQualityProblem != null) {
            return CheckOutcome.fail(minQualityProblem);
        }
        String maxLengthProblem = maxLength == null ? null : MaxLengthCheck.contractProblem(maxLength);
        if (maxLengthProblem != null) {
            return CheckOutcome.fail(maxLengthProblem);
        }
        Parsed<Pattern> regex = contract.getRegex() == null ? null : regexes.compile(contract.getRegex());
        if (regex != null && !regex.isValid()) {
            return CheckOutcome.fail(regex.problem());
        }
        Parsed<JsonSchema> schema = contract.getJsonSchema() == null ? null : schemas.compile(contract.getJsonSchema());
        if (schema != null && !schema.isValid()) {
            return CheckOutcome.fail(schema.problem());
        }

        if (minQuality != null) {
            CheckOutcome outcome = MinQualityCheck.check(minQuality, quality);
            if (!outcome.passed()) {
                return outcome;
            }
        }
        if (maxLength != null) {
            CheckOutcome outcome = MaxLengthCheck.check(maxLength, text);
            if (!outcome.passed()) {
                return outcome;
            }
        }
        if (regex != null) {
            CheckOutcome outcome = regexes.check(regex.value(), text);
            if (!outcome.passed()) {
                return outcome;
            }
        }
        if (requiredFields.isEmpty() && schema == null) {
            return CheckOutcome.pass();
        }
        Parsed<JsonNode> json = JsonOutput.parse(text, "output");
        if (!json.isValid()) {
            return CheckOutcome.fail(json.problem());
        }
        if (!requiredFields.isEmpty()) {
            CheckOutcome outcome = RequiredFieldsCheck.check(requiredFields, json.value());
            if (!outcome.passed()) {
                return outcome;
            }
        }
        return schema == null ? CheckOutcome.pass() : schemas.check(schema.value(), json.value());
    }

    /**
     * The outcome of {@code check}, or a failed check saying it errored if it threw anything at all: an Error such as
     * a {@link StackOverflowError} included, since an output the checker cannot handle must fail its contract rather
     * than kill the worker's thread and lose the task.
     */
    static CheckOutcome guarded(Supplier<CheckOutcome> check) {
        try {
            return check.get();
        } catch (StackOverflowError e) {
            LOG.warn("a check overflowed the stack; the output fails its contract");
            return CheckOutcome.fail("check errored: StackOverflowError (the output is nested or repeated too deeply to check)");
        } catch (Throwable e) {
            LOG.warn("a check errored; the output fails its contract", e);
            return CheckOutcome.fail("check errored: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").strip();
        if (message.length() > MAX_ERROR_MESSAGE) {
            message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    int cachedRegexes() {
        return regexes.cachedPatterns();
    }

    int cachedSchemas() {
        return schemas.cachedSchemas();
    }
}
