package dev.tierflow.router.decision;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.ScopeNames;

/**
 * Checks a decoded task before it is routed; a bad one is rejected with the field and the problem. Public
 * so tools that produce tasks ({@code tierflow produce}) refuse what the router would dead-letter.
 */
public final class TaskValidator {

    private TaskValidator() {
    }

    /** Every check: the task's own fields, then what the policy allows (escalation tier, attempts). */
    public static void validate(AgentTask task, RoutingPolicy policy) {
        validateFields(task);
        String escalatedFrom = task.getEscalatedFromTier();
        if (escalatedFrom != null && policy.tier(escalatedFrom) == null) {
            invalid("escalatedFromTier", "names unknown tier '" + escalatedFrom + "'");
        }
        if (task.getAttempt() >= policy.maxAttempts()) {
            throw new RejectedTaskException(DeadLetterReason.MAX_ATTEMPTS_EXCEEDED,
                    "attempt " + task.getAttempt() + " exceeds the policy's maxAttempts " + policy.maxAttempts()
                            + " (attempts 0.." + (policy.maxAttempts() - 1) + " are routed)");
        }
    }

    /** The checks that need no policy file: required fields, ranges, and how they fit together. */
    public static void validateFields(AgentTask task) {
        if (task == null) {
            throw new RejectedTaskException(DeadLetterReason.MISSING_VALUE, "record has no value");
        }
        required("taskId", task.getTaskId());
        required("runId", task.getRunId());
        scopeName("tenant", task.getTenant());
        scopeName("role", task.getRole());
        scopeName("taskType", task.getTaskType());
        if (task.getCreatedAt() == null) {
            invalid("createdAt", "is missing");
        }
        if (task.getInputTokens() < 0) {
            invalid("inputTokens", "must not be negative, was " + task.getInputTokens());
        }
        Integer requested = task.getRequestedMaxOutputTokens();
        if (requested != null && requested <= 0) {
            invalid("requestedMaxOutputTokens", "must be positive when set, was " + requested);
        }
        if (task.getAttempt() < 0) {
            invalid("attempt", "must not be negative, was " + task.getAttempt());
        }
        if (task.getEscalatedFromTier() != null && task.getAttempt() == 0) {
            invalid("escalatedFromTier", "is set on attempt 0; an escalation has attempt > 0");
        }
        if (task.getOutputContract() != null) {
            Integer maxLength = task.getOutputContract().getMaxLength();
            if (maxLength != null && maxLength <= 0) {
                invalid("outputContract.maxLength", "must be positive when set, was " + maxLength);
            }
        }
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            invalid(field, "is missing or empty");
        }
    }

    /** Required, and a name no scope can be forged from: a role 'worker/type=extract' must not count as role worker's type extract. */
    private static void scopeName(String field, String value) {
        required(field, value);
        String problem = ScopeNames.problem(value);
        if (problem != null) {
            invalid(field, problem);
        }
    }

    private static void invalid(String field, String problem) {
        throw new RejectedTaskException(DeadLetterReason.INVALID_FIELD, field + " " + problem);
    }
}
