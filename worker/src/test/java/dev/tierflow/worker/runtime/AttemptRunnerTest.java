package dev.tierflow.worker.runtime;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.policy.price.PriceCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The attempt's life: call, price, check, escalate, with answers fixed by the test. */
class AttemptRunnerTest {

    private static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));
    private static final Clock CLOCK = Clock.fixed(TestInstants.BEGINNING, ZoneOffset.UTC);
    private static final OutputContract NEEDS_ID = new OutputContract(null, List.of("id"), null, null, null);

    private static RoutedTask routed(AgentTask task, String tier, String model) {
        return new RoutedTask(task, tier, model, "anthropic", 500, "v1", null, RoutingRule.STATIC_RULE, "role=worker", TestInstants.BEGINNING);
    }

    private static ModelBackend answering(String text, FinishReason finish) {
        return request -> new ModelResponse(text, request.model(), request.provider(), null, 1_234, 567, 0, finish, 0.9, null, 820);
    }

    private static AttemptOutcome run(ModelBackend backend, RoutedTask routed, boolean topTier) {
        return new AttemptRunner(backend, PRICES, new OutputChecker(), CLOCK, topTier).run(routed);
    }

    @Test
    void passingAnswerIsAnOkSpanPricedFromTheCatalog() {
        AgentTask task = task("t-1").contract(NEEDS_ID).build();

        AttemptOutcome outcome = run(answering("{\"id\": \"INV-7\"}", FinishReason.STOP), routed(task, "mid", "claude-sonnet-4-5"), false);

        ResultSpan span = outcome.span();
        assertThat(span.getStatus()).isEqualTo(SpanStatus.OK);
        assertThat(span.getCheckPassed()).isTrue();
        assertThat(span.getCostMicros()).isEqualTo(1_234 * 3 + 567 * 15);
        assertThat(span.getInputTokens()).isEqualTo(1_234);
        assertThat(span.getOutputTokens()).isEqualTo(567);
        assertThat(span.getQuality()).isEqualTo(0.9);
        assertThat(span.getLatencyMs()).isEqualTo(820);
        assertThat(span.getSpanId()).isEqualTo("t-1#0");
        assertThat(span.getEscalated()).isFalse();
        assertThat(outcome.escalation()).isNull();
    }

    @Test
    void failedCheckBelowTheTopIsEscalatedOneTierUpAndItsCostStillCounts() {
        AgentTask task = task("t-2").contract(NEEDS_ID).build();

        AttemptOutcome outcome = run(answering("{\"name\": \"no id\"}", FinishReason.STOP), routed(task, "small", "claude-haiku-4-5"), false);

        assertThat(outcome.span().getStatus()).isEqualTo(SpanStatus.CHECK_FAILED);
        assertThat(outcome.span().getCheckPassed()).isFalse();
        assertThat(outcome.span().getCheckDetail()).contains("requiredFields");
        assertThat(outcome.span().getEscalated()).isTrue();
        assertThat(outcome.span().getCostMicros()).isEqualTo(1_234 * 1 + 567 * 5);
        assertThat(outcome.escalation().getAttempt()).isEqualTo(1);
        assertThat(outcome.escalation().getEscalatedFromTier()).isEqualTo("small");
        assertThat(outcome.escalation().getTaskId()).isEqualTo("t-2");
    }

    @Test
    void failedCheckAtTheTopTierIsFinalAndSaysSo() {
        AgentTask task = task("t-3").contract(NEEDS_ID).escalatedFrom("mid", 2).build();

        AttemptOutcome outcome = run(answering("no json", FinishReason.STOP), routed(task, "frontier", "claude-opus-4-6"), true);

        assertThat(outcome.span().getStatus()).isEqualTo(SpanStatus.CHECK_FAILED);
        assertThat(outcome.span().getCheckDetail()).endsWith("(top tier: final)");
        assertThat(outcome.span().getEscalated()).isFalse();
        assertThat(outcome.escalation()).isNull();
    }

    @Test
    void answerCutOffAtTheBudgetIsBudgetExhausted() {
        AttemptOutcome outcome = run(answering("{\"id\": \"INV", FinishReason.LENGTH), routed(task("t-4").contract(NEEDS_ID).build(), "mid", "claude-sonnet-4-5"), false);

        assertThat(outcome.span().getStatus()).isEqualTo(SpanStatus.BUDGET_EXHAUSTED);
        assertThat(outcome.span().getCheckDetail()).isEqualTo("output stopped at the budget of 500 tokens");
        assertThat(outcome.escalation()).isNull();
    }

    @Test
    void aCheckThatOverflowsTheStackIsAFailedCheckAndTheTaskIsEscalated() throws Exception {
        // 999 nested lists against a schema for trees of lists: the validator recurses per level, more deeply than
        // the least stack a thread can have holds (and, on a warm JVM, often more than a worker's ordinary 1 MB)
        String treeSchema = "{\"$defs\": {\"node\": {\"anyOf\": [{\"type\": \"array\", "
                + "\"items\": {\"$ref\": \"#/$defs/node\"}}]}}, \"$ref\": \"#/$defs/node\"}";
        AgentTask task = task("t-10").contract(OutputContract.newBuilder().setJsonSchema(treeSchema).build()).build();
        ModelBackend nested = answering("[".repeat(999) + "]".repeat(999), FinishReason.STOP);
        // a shallow tree first, on this thread: the classes it needs are then initialised, which a small stack
        // could not do
        assertThat(run(answering("[[], [[]]]", FinishReason.STOP), routed(task, "small", "claude-haiku-4-5"), false)
                .span().getStatus()).isEqualTo(SpanStatus.OK);
        CompletableFuture<AttemptOutcome> result = new CompletableFuture<>();
        Thread smallStack = new Thread(null, () -> {
            try {
                result.complete(run(nested, routed(task, "small", "claude-haiku-4-5"), false));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "small-stack", 128 * 1024);
        smallStack.start();

        AttemptOutcome outcome = result.get(60, TimeUnit.SECONDS);

        assertThat(outcome.span().getStatus()).isEqualTo(SpanStatus.CHECK_FAILED);
        assertThat(outcome.span().getCheckPassed()).isFalse();
        assertThat(outcome.span().getCheckDetail())
                .isEqualTo("check errored: StackOverflowError (the output is nested or repeated too deeply to check)");
        assertThat(outcome.span().getCostMicros()).isEqualTo(1_234 * 1 + 567 * 5);
        assertThat(outcome.escalation().getAttempt()).isEqualTo(1);
    }

    @Test
    void providerErrorIsAnErrorSpanAndTheTaskIsNotLost() {
        ModelBackend down = request -> {
            throw new ModelCallException(ModelCallException.Kind.PROVIDER_ERROR, "HTTP 503 after 3 retries");
        };

        AttemptOutcome outcome = run(down, routed(task("t-5").build(), "mid", "claude-sonnet-4-5"), false);

        assertThat(outcome.span().getStatus()).isEqualTo(SpanStatus.ERROR);
        assertThat(outcome.span().getCheckDetail()).isEqualTo("PROVIDER_ERROR: HTTP 503 after 3 retries");
        assertThat(outcome.span().getCostMicros()).isZero();
    }

    @Test
    void unpricedModelIsAnErrorSpanNamingTheModel() {
        AttemptOutcome outcome = run(answering("ok", FinishReason.STOP), routed(task("t-6").build(), "mid", "mystery-model"), false);

        assertThat(outcome.span().getStatus()).isEqualTo(SpanStatus.ERROR);
        assertThat(outcome.span().getCheckDetail()).contains("mystery-model");
    }

    @Test
    void recordedCostWinsOverTheCatalog() {
        ModelBackend replay = request -> new ModelResponse("ok", request.model(), request.provider(), null, 10, 10, 0, FinishReason.STOP, 1.0, 4_321L, 0);

        assertThat(run(replay, routed(task("t-7").build(), "mid", "claude-sonnet-4-5"), false).span().getCostMicros()).isEqualTo(4_321);
    }

    @Test
    void aRecordedScoreBelowTheContractsMinQualityEscalatesAndOneAtItPasses() {
        OutputContract goodEnough = OutputContract.newBuilder().setMinQuality(0.5).build();
        ModelBackend scored = request -> new ModelResponse("42", request.model(), request.provider(), null, 10, 10, 0, FinishReason.STOP,
                request.tier().equals("small") ? 0.0 : 0.5, 1_000L, 0);

        AttemptOutcome onSmall = run(scored, routed(task("t-8").contract(goodEnough).build(), "small", "claude-haiku-4-5"), false);
        AttemptOutcome onMid = run(scored, routed(task("t-8").contract(goodEnough).escalatedFrom("small", 1).build(), "mid", "claude-sonnet-4-5"), false);

        assertThat(onSmall.span().getStatus()).isEqualTo(SpanStatus.CHECK_FAILED);
        assertThat(onSmall.span().getCheckDetail()).isEqualTo("minQuality: quality 0.0 is below the contract's 0.5");
        assertThat(onSmall.span().getQuality()).isEqualTo(0.0);
        assertThat(onSmall.span().getCostMicros()).isEqualTo(1_000);
        assertThat(onSmall.escalation().getAttempt()).isEqualTo(1);
        assertThat(onMid.span().getStatus()).isEqualTo(SpanStatus.OK);
        assertThat(onMid.span().getCheckPassed()).isTrue();
    }

    @Test
    void anAnswerWithoutAQualityFailsAMinQualityContract() {
        OutputContract goodEnough = OutputContract.newBuilder().setMinQuality(0.5).build();
        ModelBackend unscored = request -> new ModelResponse("42", request.model(), request.provider(), null, 10, 10, 0, FinishReason.STOP,
                null, null, 0);

        AttemptOutcome outcome = run(unscored, routed(task("t-9").contract(goodEnough).build(), "frontier", "claude-opus-4-6"), true);

        assertThat(outcome.span().getStatus()).isEqualTo(SpanStatus.CHECK_FAILED);
        assertThat(outcome.span().getCheckDetail())
                .isEqualTo("minQuality: the answer has no quality score, the contract needs at least 0.5 (top tier: final)");
    }
}
