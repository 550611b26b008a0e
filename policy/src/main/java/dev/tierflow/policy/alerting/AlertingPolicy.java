package dev.tierflow.policy.alerting;

import dev.tierflow.policy.InvalidPolicyException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The validated {@code alerting} section of the policy file: the rules the alerting job evaluates on the
 * rolling stats, and the damping of the actions it takes. Immutable and serializable, because the Flink
 * job ships it to its tasks. Built by {@code PolicyLoader}; the router ignores it.
 *
 * @param stuckTasks  null when the file has no such rule
 * @param deadLetters null when the file has no such rule
 * @param hysteresis  relative band: a breach resolves only once the value is back beyond threshold × (1 ± hysteresis)
 * @param headroom    a cost action demotes only while the quality mean is at least floor + headroom
 * @param maxChangesPerHour automatic policy changes per scope per hour
 * @param overrideTtl null when automatic overrides do not expire
 */
public record AlertingPolicy(List<QualityFloor> qualityFloors, List<CostCeiling> costCeilings, List<TenantBudget> tenantBudgets,
                             StuckTasksRule stuckTasks, DeadLetterRule deadLetters, double hysteresis, double headroom,
                             Duration cooldown, Duration probation, int maxChangesPerHour, Duration overrideTtl)
        implements Serializable {

    public static final double DEFAULT_HYSTERESIS = 0.05;
    public static final double DEFAULT_HEADROOM = 0.05;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);
    public static final Duration DEFAULT_PROBATION = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_CHANGES_PER_HOUR = 4;
    public static final List<Double> DEFAULT_WARN_AT = List.of(0.8, 1.0);

    public AlertingPolicy {
        qualityFloors = List.copyOf(qualityFloors);
        costCeilings = List.copyOf(costCeilings);
        tenantBudgets = List.copyOf(tenantBudgets);
    }

    /** What a policy without an {@code alerting} section has: no rules, default damping; not armed. */
    public static AlertingPolicy empty() {
        return new AlertingPolicy(List.of(), List.of(), List.of(), null, null, DEFAULT_HYSTERESIS, DEFAULT_HEADROOM,
                DEFAULT_COOLDOWN, DEFAULT_PROBATION, DEFAULT_MAX_CHANGES_PER_HOUR, null);
    }

    /** At least one quality floor and one cost ceiling: cost is never cut without a guard on quality, nor the reverse. */
    public boolean isArmed() {
        return !qualityFloors.isEmpty() && !costCeilings.isEmpty();
    }

    /**
     * This policy when it is armed; otherwise the reason the alerting job refuses to start.
     *
     * @param source names the policy file in the message
     */
    public AlertingPolicy requireArmed(String source) {
        List<String> problems = new ArrayList<>();
        String why = ": the alerting job keeps both a cost ceiling and a quality floor armed at all times";
        if (qualityFloors.isEmpty()) {
            problems.add("alerting.qualityFloors: at least one quality floor is required" + why);
        }
        if (costCeilings.isEmpty()) {
            problems.add("alerting.costCeilings: at least one cost ceiling is required" + why);
        }
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(source, problems);
        }
        return this;
    }

    /**
     * The floors matching a stats scope, most specific first ({@link ScopePattern#MOST_SPECIFIC_FIRST}:
     * an exact value beats {@code *}); the first is the one that applies. Empty when none matches.
     */
    public List<QualityFloor> floorsFor(String statsScope) {
        return matching(qualityFloors, QualityFloor::scope, statsScope);
    }

    /** The most specific floor matching a stats scope, or null. */
    public QualityFloor floorFor(String statsScope) {
        return first(floorsFor(statsScope));
    }

    /** The ceilings matching a stats scope, most specific first, as {@link #floorsFor}. */
    public List<CostCeiling> ceilingsFor(String statsScope) {
        return matching(costCeilings, CostCeiling::scope, statsScope);
    }

    /** The most specific ceiling matching a stats scope, or null. */
    public CostCeiling ceilingFor(String statsScope) {
        return first(ceilingsFor(statsScope));
    }

    /** The budget of a tenant (tenant names are unique in the file), or null. */
    public TenantBudget budgetFor(String tenant) {
        return tenantBudgets.stream().filter(budget -> budget.tenant().equals(tenant)).findFirst().orElse(null);
    }

    private static <R> List<R> matching(List<R> rules, Function<R, ScopePattern> scope, String statsScope) {
        // stable sort: the file order stays only among patterns that cannot both match one scope
        return rules.stream().filter(rule -> scope.apply(rule).matches(statsScope))
                .sorted((a, b) -> ScopePattern.MOST_SPECIFIC_FIRST.compare(scope.apply(a), scope.apply(b)))
                .toList();
    }

    private static <R> R first(List<R> rules) {
        return rules.isEmpty() ? null : rules.get(0);
    }
}
