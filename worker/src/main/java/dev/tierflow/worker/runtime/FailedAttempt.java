package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.SpanStatus;
import java.time.Instant;

/**
 * The ERROR span of an attempt the worker itself could not finish (the attempt threw, or its call ran past
 * the call timeout): the task's fields as {@link AttemptRunner} sets them, no usage, no cost.
 */
final class FailedAttempt {

    private FailedAttempt() {
    }

    static AttemptOutcome outcome(RoutedTask routed, Instant started, Instant ended, String detail) {
        AgentTask task = routed.getTask();
        ResultSpan span = ResultSpan.newBuilder()
                .setTaskId(task.getTaskId()).setRunId(task.getRunId())
                .setSpanId(task.getTaskId() + "#" + task.getAttempt())
                .setAttempt(task.getAttempt()).setRole(task.getRole()).setTaskType(task.getTaskType()).setTenant(task.getTenant())
                .setTier(routed.getTier()).setModel(routed.getModel()).setProvider(routed.getProvider())
                .setMaxOutputTokens(routed.getMaxOutputTokens())
                .setInputTokens(0).setOutputTokens(0).setCachedInputTokens(0).setCostMicros(0)
                .setLatencyMs(Math.max(0, ended.toEpochMilli() - started.toEpochMilli()))
                .setStartedAt(started).setEndedAt(ended)
                .setStatus(SpanStatus.ERROR).setCheckDetail(detail)
                .build();
        return new AttemptOutcome(span, null);
    }
}
