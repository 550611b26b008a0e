package dev.tierflow.attribution.model;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;

/**
 * One contribution to the rolling statistics, attributed to the role, task type, tier, tenant and model
 * that caused it. {@link #scope} is empty as the join emits it and set when it is fanned out to the
 * scopes it counts in (a Flink POJO: public fields, no-argument constructor).
 */
public class Attribution {
    public AttributionKind kind;
    public String scope;
    public String role;
    public String taskType;
    public String tier;
    public String tenant;
    public String model;
    /** The routing rule that sent the attempt to its tier (null for unmatched spans). */
    public String rule;
    public long inputTokens;
    public long outputTokens;
    public long costMicros;
    /** What the same tokens cost at the frontier tier's prices. */
    public long frontierCostMicros;
    public Double quality;
    public Boolean checkPassed;
    public boolean escalated;
    public boolean error;
    public long latencyMs;
    public long eventTimeMillis;

    public Attribution() {
    }

    /** A span joined to its routed attempt: role, type and tenant come from the task, tier and model from the span that ran (else the routing). */
    public static Attribution ofSpan(RoutedRef routed, ResultSpan span, long frontierCostMicros) {
        Attribution a = measured(AttributionKind.SPAN, span, frontierCostMicros);
        a.role = routed.role;
        a.taskType = routed.taskType;
        a.tenant = routed.tenant;
        a.rule = routed.rule;
        // another agent's OTLP span may not say where it ran: then it ran where it was routed
        if (a.tier == null || a.tier.isEmpty()) {
            a.tier = routed.tier;
        }
        if (a.model == null || a.model.isEmpty()) {
            a.model = routed.model;
        }
        return a;
    }

    /** A span without a routed attempt: its own (possibly empty) role, type and tenant are not trusted for attribution. */
    public static Attribution ofUnmatched(ResultSpan span, long frontierCostMicros) {
        Attribution a = measured(AttributionKind.UNMATCHED, span, frontierCostMicros);
        a.role = span.getRole();
        a.taskType = span.getTaskType();
        a.tenant = span.getTenant();
        return a;
    }

    public static Attribution ofStuck(RoutedRef routed, long declaredAtMillis) {
        Attribution a = new Attribution();
        a.kind = AttributionKind.STUCK;
        a.role = routed.role;
        a.taskType = routed.taskType;
        a.tier = routed.tier;
        a.tenant = routed.tenant;
        a.model = routed.model;
        a.rule = routed.rule;
        a.eventTimeMillis = declaredAtMillis;
        return a;
    }

    private static Attribution measured(AttributionKind kind, ResultSpan span, long frontierCostMicros) {
        Attribution a = new Attribution();
        a.kind = kind;
        a.tier = span.getTier();
        a.model = span.getModel();
        a.inputTokens = span.getInputTokens();
        a.outputTokens = span.getOutputTokens();
        a.costMicros = span.getCostMicros();
        a.frontierCostMicros = frontierCostMicros;
        a.quality = span.getQuality();
        a.checkPassed = span.getCheckPassed();
        a.escalated = span.getEscalated();
        a.error = span.getStatus() == SpanStatus.ERROR;
        a.latencyMs = span.getLatencyMs();
        a.eventTimeMillis = span.getEndedAt().toEpochMilli();
        return a;
    }

    /** A copy counted in {@code scope}, keeping only the dimensions that scope names (the others null). */
    public Attribution inScope(String scope, String role, String taskType, String tier, String tenant, String model) {
        Attribution a = new Attribution();
        a.kind = kind;
        a.scope = scope;
        a.role = role;
        a.taskType = taskType;
        a.tier = tier;
        a.tenant = tenant;
        a.model = model;
        a.rule = rule;
        a.inputTokens = inputTokens;
        a.outputTokens = outputTokens;
        a.costMicros = costMicros;
        a.frontierCostMicros = frontierCostMicros;
        a.quality = quality;
        a.checkPassed = checkPassed;
        a.escalated = escalated;
        a.error = error;
        a.latencyMs = latencyMs;
        a.eventTimeMillis = eventTimeMillis;
        return a;
    }

    @Override
    public String toString() {
        return "Attribution[" + kind + " " + (scope == null ? "" : scope + " ") + role + "/" + taskType + "/" + tier
                + " tenant=" + tenant + " model=" + model + " cost=" + costMicros + " at=" + eventTimeMillis + "]";
    }
}
