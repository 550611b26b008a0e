package dev.tierflow.worker.check;

import static dev.tierflow.worker.check.Contracts.jsonSchema;
import static dev.tierflow.worker.check.Contracts.requiredFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.OutputContract;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Whatever goes wrong inside a check, an Error included, the check ends as a failed check saying it errored: the
 * checker's thread never dies of it, so the worker never loses the task.
 */
class ErrorsInsideACheckTest {

    /** A tree of nested lists, a schema that applies itself to every item: the validator recurses per level. */
    static final String TREE_SCHEMA = "{\"$defs\": {\"node\": {\"anyOf\": [{\"type\": \"array\", "
            + "\"items\": {\"$ref\": \"#/$defs/node\"}}]}}, \"$ref\": \"#/$defs/node\"}";
    /** Within Jackson's nesting limit of 1000, so the output is read and handed to the validator. */
    static final String NESTED_999 = "[".repeat(999) + "]".repeat(999);
    /**
     * The least stack HotSpot gives a thread (smaller requests are rounded up to it). Validating {@link #NESTED_999}
     * against {@link #TREE_SCHEMA} overflows it with room to spare, JIT-compiled or not; on a warm JVM it overflows
     * a worker's ordinary 1 MB stack about half the time.
     */
    static final long SMALL_STACK_BYTES = 128 * 1024;

    private final OutputChecker checker = new OutputChecker();

    @Test
    void aStackOverflowInsideTheValidatorIsAFailedCheck() throws Exception {
        OutputContract tree = jsonSchema(TREE_SCHEMA); // Avro's class initialisation wants more than a small stack
        assertThat(checker.check(tree, "[[], [[]]]")).as("a shallow tree").isEqualTo(CheckOutcome.pass());

        CheckOutcome outcome = onASmallStack(() -> checker.check(tree, NESTED_999));

        assertThat(outcome).isEqualTo(CheckOutcome.fail(
                "check errored: StackOverflowError (the output is nested or repeated too deeply to check)"));
    }

    @Test
    void jsonNestedDeeperThanTheParsersLimitIsNotJson() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThat(checker.check(requiredFields("invoiceNumber"), deep)).isEqualTo(CheckOutcome.fail(
                "output is not JSON: Document nesting depth (1001) exceeds the maximum allowed "
                        + "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)"));
        assertThat(checker.check(jsonSchema(TREE_SCHEMA), deep).detail()).startsWith("output is not JSON: Document nesting depth");
    }

    @Test
    void anyOtherErrorIsAFailedCheckNamingIt() {
        CheckOutcome outcome = OutputChecker.guarded(() -> {
            throw new InternalError("the JIT had a bad day");
        });

        assertThat(outcome).isEqualTo(CheckOutcome.fail("check errored: InternalError: the JIT had a bad day"));
    }

    @Test
    void anUncheckedExceptionIsAFailedCheckToo() {
        CheckOutcome outcome = OutputChecker.guarded(() -> {
            throw new IllegalStateException("first line\nsecond line");
        });

        assertThat(outcome).isEqualTo(CheckOutcome.fail("check errored: IllegalStateException: first line"));
    }

    @Test
    void aLongMessageIsCut() {
        CheckOutcome outcome = OutputChecker.guarded(() -> {
            throw new IllegalStateException("x".repeat(1_000));
        });

        assertThat(outcome.detail()).isEqualTo("check errored: IllegalStateException: " + "x".repeat(200) + "...");
    }

    @Test
    void aCheckThatReturnsIsPassedThrough() {
        assertThat(OutputChecker.guarded(CheckOutcome::pass)).isEqualTo(CheckOutcome.pass());
    }

    /** Runs {@code check} on a fresh thread with a small stack; what it throws fails the test, as it is. */
    static CheckOutcome onASmallStack(java.util.function.Supplier<CheckOutcome> check) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CompletableFuture<CheckOutcome> result = new CompletableFuture<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.complete(check.get());
            } catch (Throwable t) {
                thrown.set(t);
                result.completeExceptionally(t);
            }
        }, "small-stack", SMALL_STACK_BYTES);
        thread.start();
        thread.join(Duration.ofSeconds(60).toMillis());
        assertThat(thrown.get()).as("what the check threw").isNull();
        return result.get(1, TimeUnit.SECONDS);
    }
}
