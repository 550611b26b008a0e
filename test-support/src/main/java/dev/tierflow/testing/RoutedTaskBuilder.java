package dev.tierflow.testing;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import java.time.Instant;

/** Routed tasks for tests: a task plus the router's decision, with readable defaults. */
public final class RoutedTaskBuilder {

    private final RoutedTask.Builder routed;

    private RoutedTaskBuilder(AgentTask task) {
        routed = RoutedTask.newBuilder()
                .setTask(task)
                .setTier("small").setModel("small-model").setProvider("simulator")
                .setMaxOutputTokens(512).setPolicyVersion("test-1").setOverrideVersion(null)
                .setRule(RoutingRule.STATIC_RULE).setRuleDetail("roles.worker")
                .setRoutedAt(TestInstants.BEGINNING);
    }

    public static RoutedTaskBuilder routed(AgentTask task) {
        return new RoutedTaskBuilder(task);
    }

    public RoutedTaskBuilder tier(String tier, String model) {
        routed.setTier(tier).setModel(model);
        return this;
    }

    public RoutedTaskBuilder rule(RoutingRule rule) {
        routed.setRule(rule);
        return this;
    }

    public RoutedTaskBuilder at(Instant routedAt) {
        routed.setRoutedAt(routedAt);
        return this;
    }

    public RoutedTask build() {
        return routed.build();
    }
}
