package dev.tierflow.attribution.model;

import dev.tierflow.schemas.RoutedTask;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the job keeps of a routed task: the dimensions a span is attributed to. The task's input (the
 * prompt) is dropped at the source, so it is never shuffled or held in state.
 *
 * <p>Public fields and a no-argument constructor; Flink serializes it with {@link RoutedRefSerializer}.
 */
@TypeInfo(RoutedRefTypeInfo.Factory.class)
public class RoutedRef {
    public String taskId;
    public int attempt;
    public String runId;
    public String role;
    public String taskType;
    public String tenant;
    public String tier;
    public String model;
    /** The {@link dev.tierflow.schemas.RoutingRule} name that routed the attempt. */
    public String rule;
    public long routedAtMillis;
    /** Join bookkeeping, in the same state entry to spare lookups: the attempt was reported stuck. */
    public boolean stuckReported;

    public RoutedRef() {
    }

    public static RoutedRef of(RoutedTask routed) {
        RoutedRef ref = new RoutedRef();
        var task = routed.getTask();
        ref.taskId = task.getTaskId();
        ref.attempt = task.getAttempt();
        ref.runId = task.getRunId();
        ref.role = task.getRole();
        ref.taskType = task.getTaskType();
        ref.tenant = task.getTenant();
        ref.tier = routed.getTier();
        ref.model = routed.getModel();
        ref.rule = routed.getRule().name();
        ref.routedAtMillis = routed.getRoutedAt().toEpochMilli();
        return ref;
    }

    public RoutedRef copy() {
        RoutedRef copy = new RoutedRef();
        copy.taskId = taskId;
        copy.attempt = attempt;
        copy.runId = runId;
        copy.role = role;
        copy.taskType = taskType;
        copy.tenant = tenant;
        copy.tier = tier;
        copy.model = model;
        copy.rule = rule;
        copy.routedAtMillis = routedAtMillis;
        copy.stuckReported = stuckReported;
        return copy;
    }

    /** The join key: one routed attempt meets exactly one span. */
    public String attemptKey() {
        return AttemptKey.of(taskId, attempt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedRef other && attempt == other.attempt && routedAtMillis == other.routedAtMillis
                && Objects.equals(taskId, other.taskId) && Objects.equals(runId, other.runId)
                && Objects.equals(role, other.role) && Objects.equals(taskType, other.taskType)
                && Objects.equals(tenant, other.tenant) && Objects.equals(tier, other.tier)
                && Objects.equals(model, other.model) && Objects.equals(rule, other.rule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(taskId, attempt);
    }

    @Override
    public String toString() {
        return "RoutedRef[" + attemptKey() + " " + role + "/" + taskType + " -> " + tier + " (" + rule + ")]";
    }
}
