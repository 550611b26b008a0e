package dev.tierflow.testing;

import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import java.time.Instant;

/** Builds live overrides for the {@code policy} topic. */
public final class PolicyRuleBuilder {

    private final PolicyRule.Builder rule = PolicyRule.newBuilder()
            .setSource(PolicySource.OPERATOR)
            .setReason("test")
            .setVersion(1)
            .setUpdatedAt(TestInstants.BEGINNING);

    private PolicyRuleBuilder(String scope) {
        rule.setScope(scope);
    }

    public static PolicyRuleBuilder override(String scope) {
        return new PolicyRuleBuilder(scope);
    }

    public PolicyRuleBuilder tier(String tier) {
        rule.setTier(tier);
        return this;
    }

    public PolicyRuleBuilder model(String model) {
        rule.setModel(model);
        return this;
    }

    public PolicyRuleBuilder maxOutputTokens(Integer tokens) {
        rule.setMaxOutputTokens(tokens);
        return this;
    }

    public PolicyRuleBuilder version(long version) {
        rule.setVersion(version);
        return this;
    }

    public PolicyRuleBuilder source(PolicySource source, String reason) {
        rule.setSource(source).setReason(reason);
        return this;
    }

    public PolicyRuleBuilder expiresAt(Instant at) {
        rule.setExpiresAt(at);
        return this;
    }

    public PolicyRuleBuilder causedBy(String alertId) {
        rule.setCausedByAlertId(alertId);
        return this;
    }

    public PolicyRule build() {
        return rule.build();
    }
}
