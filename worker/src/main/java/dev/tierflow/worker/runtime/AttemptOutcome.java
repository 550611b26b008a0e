package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.ResultSpan;

/**
 * What one attempt produced: its span, and the task to re-submit one tier up when it failed its check
 * below the top tier (else null). Both are written in one transaction with the consumed offset.
 */
public record AttemptOutcome(ResultSpan span, AgentTask escalation) {
}
