package dev.tierflow.router;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.RoutingRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The router's own metrics: decisions by tier and rule, dead-lettered records by reason, and what
 * happened to live overrides. Counters are registered up front so the hot path only increments.
 */
public final class RouterMetrics {

    /** Key under which the Streams config carries this object to the exception handlers. */
    public static final String CONFIG_KEY = "tierflow.router.metrics";

    private final MeterRegistry registry;
    private final Counter[][] decisions;
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Counter overridesApplied;
    private final Counter overridesRemoved;
    private final Counter overridesRejected;
    private final Counter overridesWaiting;
    private final AtomicInteger activeOverrides = new AtomicInteger();

    public RouterMetrics(MeterRegistry registry, RoutingPolicy policy) {
        this.registry = registry;
        RoutingRule[] rules = RoutingRule.values();
        decisions = new Counter[policy.tiers().size()][rules.length];
        for (Tier tier : policy.tiers()) {
            for (RoutingRule rule : rules) {
                decisions[tier.rank()][rule.ordinal()] = Counter.builder("tierflow.router.decisions")
                        .description("Tasks routed, by tier and by the rule that decided")
                        .tag("tier", tier.name()).tag("rule", rule.name()).register(registry);
            }
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, Counter.builder("tierflow.router.dead.letters")
                    .description("Records sent to the dead-letter topic, by reason")
                    .tag("reason", reason.name()).register(registry));
        }
        overridesApplied = overrideCounter("applied");
        overridesRemoved = overrideCounter("removed");
        overridesRejected = overrideCounter("rejected");
        overridesWaiting = overrideCounter("waiting-for-registry");
        registry.gauge("tierflow.router.overrides.active", activeOverrides);
    }

    /** Metrics that go nowhere but can still be read back, for tests and tools. */
    public static RouterMetrics inMemory(RoutingPolicy policy) {
        return new RouterMetrics(new SimpleMeterRegistry(), policy);
    }

    private Counter overrideCounter(String outcome) {
        return Counter.builder("tierflow.router.overrides")
                .description("Records read from the policy topic, by what the router did with them")
                .tag("outcome", outcome).register(registry);
    }

    public void decided(Tier tier, RoutingRule rule) {
        decisions[tier.rank()][rule.ordinal()].increment();
    }

    public void deadLettered(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    public void overrideApplied() {
        overridesApplied.increment();
    }

    public void overrideRemoved() {
        overridesRemoved.increment();
    }

    public void overrideRejected() {
        overridesRejected.increment();
    }

    /** A policy record could not be read because the registry was unreachable: held and retried, never dropped. */
    public void overrideWaitingForRegistry() {
        overridesWaiting.increment();
    }

    public double overridesWaitingForRegistry() {
        return overridesWaiting.count();
    }

    public void activeOverrides(int count) {
        activeOverrides.set(count);
    }

    public double decisions(String tier, RoutingRule rule) {
        Counter counter = registry.find("tierflow.router.decisions").tag("tier", tier).tag("rule", rule.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    public double deadLetters(DeadLetterReason reason) {
        return deadLetters.get(reason).count();
    }

    public double overridesRejected() {
        return overridesRejected.count();
    }

    public double overridesApplied() {
        return overridesApplied.count();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
