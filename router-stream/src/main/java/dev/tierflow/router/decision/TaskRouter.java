package dev.tierflow.router.decision;

import dev.tierflow.policy.Classifier;
import dev.tierflow.policy.Pin;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.live.LiveOverride;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.RoutingRule;
import java.util.Map;

/**
 * The routing decision, as a pure function of the policy file, the live overrides and the time.
 * Precedence, highest first: compliance pin, escalation, live override, static rule, classifier, default.
 */
public final class TaskRouter {

    private final RoutingPolicy policy;

    public TaskRouter(RoutingPolicy policy) {
        this.policy = policy;
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /**
     * Decides where a task goes.
     *
     * @throws RejectedTaskException when the task is invalid or has used up its attempts
     */
    public RoutingDecision decide(AgentTask task, LiveOverrides overrides, long nowMs) {
        TaskValidator.validate(task, policy);
        Map<String, String> attributes = task.getAttributes() == null ? Map.of() : task.getAttributes();

        Pin pin = policy.pinFor(task.getTenant(), task.getRole(), task.getTaskType(), attributes);
        if (pin != null) {
            int budget = grant(task, pin.maxOutputTokens() != null ? pin.maxOutputTokens() : policy.budgetFor(task.getTaskType()));
            return new RoutingDecision(pin.tier(), pin.model(), pin.provider(), budget, RoutingRule.PIN, pin.ruleDetail(), null);
        }

        LiveOverride override = overrides.find(task.getTenant(), task.getRole(), task.getTaskType(), nowMs);
        Long overrideVersion = override == null ? null : override.version();
        int budget = grant(task, override != null && override.maxOutputTokens() != null
                ? override.maxOutputTokens() : policy.budgetFor(task.getTaskType()));

        RoutingDecision baseline = baseline(task, attributes, override, budget, overrideVersion);
        Tier failed = policy.tier(task.getEscalatedFromTier());
        if (failed == null) {
            return baseline;
        }
        Tier floor = policy.tierAbove(failed);
        if (baseline.tier().rank() >= floor.rank()) {
            return new RoutingDecision(baseline.tier(), baseline.model(), baseline.provider(), budget, RoutingRule.ESCALATION,
                    "escalated from " + failed.name() + " (attempt " + task.getAttempt() + "); " + baseline.rule()
                            + " " + baseline.ruleDetail() + " already at or above " + floor.name(), overrideVersion);
        }
        String detail = "escalated from " + failed.name() + " (attempt " + task.getAttempt() + ")"
                + (floor == failed ? ", already the top tier" : "");
        return new RoutingDecision(floor, floor.model(), floor.provider(), budget, RoutingRule.ESCALATION, detail, overrideVersion);
    }

    private RoutingDecision baseline(AgentTask task, Map<String, String> attributes, LiveOverride override, int budget, Long overrideVersion) {
        if (override != null && override.tier() != null) {
            Tier tier = override.tier();
            String model = override.model() != null ? override.model() : tier.model();
            return new RoutingDecision(tier, model, tier.provider(), budget, RoutingRule.LIVE_OVERRIDE, override.ruleDetail(), overrideVersion);
        }
        Tier roleTier = policy.tierForRole(task.getRole());
        if (roleTier != null) {
            return decision(roleTier, budget, RoutingRule.STATIC_RULE, policy.roleRuleDetail(task.getRole()), overrideVersion);
        }
        Classifier.Verdict verdict = policy.classifier().classify(task.getTaskType(), task.getInputTokens(), attributes);
        if (verdict != null) {
            return decision(verdict.tier(), budget, RoutingRule.CLASSIFIER, verdict.detail(), overrideVersion);
        }
        return decision(policy.defaultTier(), budget, RoutingRule.DEFAULT, "defaultTier", overrideVersion);
    }

    private static RoutingDecision decision(Tier tier, int budget, RoutingRule rule, String detail, Long overrideVersion) {
        return new RoutingDecision(tier, tier.model(), tier.provider(), budget, rule, detail, overrideVersion);
    }

    /** The agent may ask for less than the policy's budget, never more. */
    private static int grant(AgentTask task, int policyBudget) {
        Integer requested = task.getRequestedMaxOutputTokens();
        return requested == null ? policyBudget : Math.min(requested, policyBudget);
    }
}
