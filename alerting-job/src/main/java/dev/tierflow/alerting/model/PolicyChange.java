package dev.tierflow.alerting.model;

import dev.tierflow.schemas.PolicyRule;

/**
 * One record of the compacted {@code policy} topic: a rule for a scope, or its removal (a tombstone,
 * {@code rule == null}), which a Flink stream cannot carry as a bare null. A Flink POJO.
 */
public class PolicyChange {
    public String scope;
    public PolicyRule rule;

    public PolicyChange() {
    }

    public static PolicyChange set(PolicyRule rule) {
        PolicyChange change = new PolicyChange();
        change.scope = rule.getScope();
        change.rule = rule;
        return change;
    }

    public static PolicyChange remove(String scope) {
        PolicyChange change = new PolicyChange();
        change.scope = scope;
        return change;
    }

    public boolean isRemoval() {
        return rule == null;
    }

    @Override
    public String toString() {
        return isRemoval() ? "remove " + scope : scope + " -> " + rule.getTier() + " (" + rule.getSource() + " v" + rule.getVersion() + ")";
    }
}
