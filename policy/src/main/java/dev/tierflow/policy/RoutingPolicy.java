package dev.tierflow.policy;

import dev.tierflow.policy.alerting.AlertingPolicy;
import java.util.List;
import java.util.Map;

/**
 * A validated policy file: immutable, with the lookups the router needs on its hot path.
 * Built only by {@link PolicyLoader}.
 */
public final class RoutingPolicy {

    private final String version;
    private final List<Tier> tiers;
    private final Map<String, Tier> tiersByName;
    private final Tier defaultTier;
    private final int maxAttempts;
    private final Map<String, Tier> roleTiers;
    private final Map<String, String> roleRuleDetails;
    private final int defaultMaxOutputTokens;
    private final Map<String, Integer> taskTypeBudgets;
    private final List<Pin> pins;
    private final Classifier classifier;
    private final AlertingPolicy alerting;

    RoutingPolicy(String version, List<Tier> tiers, Tier defaultTier, int maxAttempts, Map<String, Tier> roleTiers,
                  int defaultMaxOutputTokens, Map<String, Integer> taskTypeBudgets, List<Pin> pins, Classifier classifier,
                  AlertingPolicy alerting) {
        this.version = version;
        this.tiers = List.copyOf(tiers);
        this.tiersByName = tiers.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Tier::name, t -> t));
        this.defaultTier = defaultTier;
        this.maxAttempts = maxAttempts;
        this.roleTiers = Map.copyOf(roleTiers);
        this.roleRuleDetails = roleTiers.keySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(role -> role, role -> "role=" + role));
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
        this.taskTypeBudgets = Map.copyOf(taskTypeBudgets);
        this.pins = List.copyOf(pins);
        this.classifier = classifier;
        this.alerting = alerting;
    }

    public String version() {
        return version;
    }

    /** Tiers from cheapest to the top. */
    public List<Tier> tiers() {
        return tiers;
    }

    /** The tier of that name, or null. */
    public Tier tier(String name) {
        return name == null ? null : tiersByName.get(name);
    }

    public Tier topTier() {
        return tiers.get(tiers.size() - 1);
    }

    /** The next tier up, or the top tier itself when it is already the top. */
    public Tier tierAbove(Tier tier) {
        return tiers.get(Math.min(tier.rank() + 1, tiers.size() - 1));
    }

    public Tier defaultTier() {
        return defaultTier;
    }

    /** How many attempts a task may have in all: attempts numbered {@code 0 .. maxAttempts-1} are routed. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The tier the static rules fix for a role, or null when the role is left to the classifier. */
    public Tier tierForRole(String role) {
        return roleTiers.get(role);
    }

    /** What a routed task records when the static rule of that role decided: {@code role=<role>}. */
    public String roleRuleDetail(String role) {
        return roleRuleDetails.get(role);
    }

    public Map<String, Tier> roleTiers() {
        return roleTiers;
    }

    /** The output token budget of a task type (the default budget for types without their own). */
    public int budgetFor(String taskType) {
        Integer budget = taskTypeBudgets.get(taskType);
        return budget != null ? budget : defaultMaxOutputTokens;
    }

    public int defaultMaxOutputTokens() {
        return defaultMaxOutputTokens;
    }

    public Map<String, Integer> taskTypeBudgets() {
        return taskTypeBudgets;
    }

    public List<Pin> pins() {
        return pins;
    }

    /** The first pin matching the task, or null. */
    public Pin pinFor(String tenant, String role, String taskType, Map<String, String> attributes) {
        for (Pin pin : pins) {
            if (pin.matches(tenant, role, taskType, attributes)) {
                return pin;
            }
        }
        return null;
    }

    public Classifier classifier() {
        return classifier;
    }

    /** The rules of the alerting job; empty (not armed) when the file has no {@code alerting} section. The router ignores it. */
    public AlertingPolicy alerting() {
        return alerting;
    }
}
