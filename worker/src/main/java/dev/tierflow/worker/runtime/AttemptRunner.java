package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.backend.llm.SecretRedaction;
import dev.tierflow.worker.check.CheckOutcome;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.policy.price.UnknownModelException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;

/**
 * One attempt at one routed task, start to finish, without Kafka: call the tier's model with the task's
 * budget, price the answer, run the task's deterministic check, and decide whether to escalate. Whatever
 * happens, the outcome has exactly one span; a failed check below the top tier also has the task to
 * re-submit one tier up.
 *
 * <p>A backend's error text is the one place a provider's words reach a span (and so a topic and the OpenTelemetry
 * export): it goes through {@link SecretRedaction} first, since providers echo keys and base URLs carry passwords.
 */
public final class AttemptRunner {

    private final ModelBackend backend;
    private final PriceCatalog prices;
    private final OutputChecker checker;
    private final Clock clock;
    private final boolean topTier;

    /**
     * @param topTier whether this worker's tier is the policy's top tier, where a failed check is final
     */
    public AttemptRunner(ModelBackend backend, PriceCatalog prices, OutputChecker checker, Clock clock, boolean topTier) {
        this.backend = backend;
        this.prices = prices;
        this.checker = checker;
        this.clock = clock;
        this.topTier = topTier;
    }

    public AttemptOutcome run(RoutedTask routed) {
        AgentTask task = routed.getTask();
        Instant started = clock.instant();
        ModelResponse response;
        try {
            response = backend.call(request(routed));
        } catch (ModelCallException e) {
            return new AttemptOutcome(span(routed, started).setStatus(SpanStatus.ERROR)
                    .setCheckDetail(e.kind() + ": " + SecretRedaction.redact(e.getMessage())).build(), null);
        } catch (RuntimeException e) {
            return new AttemptOutcome(span(routed, started).setStatus(SpanStatus.ERROR)
                    .setCheckDetail("backend failed: " + SecretRedaction.redact(e.toString())).build(), null);
        }
        ResultSpan.Builder span = span(routed, started)
                .setModel(response.model()).setProvider(response.provider()).setFallbackFrom(response.fallbackFrom())
                .setInputTokens(response.inputTokens()).setOutputTokens(response.outputTokens())
                .setCachedInputTokens(response.cachedInputTokens()).setLatencyMs(response.latencyMs())
                .setEndedAt(started.plusMillis(response.latencyMs()))
                .setQuality(response.quality());
        try {
            span.setCostMicros(ResponseCost.micros(response, prices));
        } catch (UnknownModelException e) {
            return new AttemptOutcome(span.setStatus(SpanStatus.ERROR).setCheckDetail(e.getMessage()).build(), null);
        }
        if (response.finishReason() == FinishReason.LENGTH) {
            // The budget ran out mid-answer: its own status, not a model failure to escalate past.
            return new AttemptOutcome(span.setStatus(SpanStatus.BUDGET_EXHAUSTED)
                    .setCheckDetail("output stopped at the budget of " + routed.getMaxOutputTokens() + " tokens").build(), null);
        }
        CheckOutcome check = checker.check(task.getOutputContract(), response.text(), response.quality());
        if (task.getOutputContract() != null) {
            span.setCheckPassed(check.passed());
        }
        if (check.passed()) {
            return new AttemptOutcome(span.setStatus(SpanStatus.OK).build(), null);
        }
        if (topTier) {
            return new AttemptOutcome(span.setStatus(SpanStatus.CHECK_FAILED)
                    .setCheckDetail(check.detail() + " (top tier: final)").build(), null);
        }
        AgentTask escalation = AgentTask.newBuilder(task)
                .setAttempt(task.getAttempt() + 1)
                .setEscalatedFromTier(routed.getTier())
                .setAttributes(new HashMap<>(task.getAttributes()))
                .build();
        return new AttemptOutcome(span.setStatus(SpanStatus.CHECK_FAILED).setCheckDetail(check.detail())
                .setEscalated(true).build(), escalation);
    }

    private static ModelRequest request(RoutedTask routed) {
        AgentTask task = routed.getTask();
        return new ModelRequest(task.getTaskId(), task.getAttempt(), task.getTenant(), task.getRole(), task.getTaskType(),
                routed.getTier(), routed.getProvider(), routed.getModel(), task.getInputText(), task.getInputRef(),
                task.getInputTokens(), routed.getMaxOutputTokens(), task.getOutputContract());
    }

    /** A span with everything known before the call; the span id is stable, so a retried attempt keeps it. */
    private ResultSpan.Builder span(RoutedTask routed, Instant started) {
        return spanOf(routed, started, clock.instant());
    }

    /**
     * The span of an attempt from its routed task and times, with no usage and no cost yet: what the runner
     * fills in and {@link FailedAttempt} sends as it is. A latency is never negative, whatever the clock did.
     */
    static ResultSpan.Builder spanOf(RoutedTask routed, Instant started, Instant ended) {
        AgentTask task = routed.getTask();
        return ResultSpan.newBuilder()
                .setTaskId(task.getTaskId()).setRunId(task.getRunId())
                .setSpanId(task.getTaskId() + "#" + task.getAttempt())
                .setAttempt(task.getAttempt()).setRole(task.getRole()).setTaskType(task.getTaskType()).setTenant(task.getTenant())
                .setTier(routed.getTier()).setModel(routed.getModel()).setProvider(routed.getProvider())
                .setMaxOutputTokens(routed.getMaxOutputTokens())
                .setInputTokens(0).setOutputTokens(0).setCachedInputTokens(0).setCostMicros(0)
                .setLatencyMs(Math.max(0, ended.toEpochMilli() - started.toEpochMilli()))
                .setStartedAt(started).setEndedAt(ended);
    }
}
