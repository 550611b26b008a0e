package dev.tierflow.policy;

import dev.tierflow.policy.PolicyDocument.AlertingDocument;
import dev.tierflow.policy.PolicyDocument.CostCeilingDocument;
import dev.tierflow.policy.PolicyDocument.QualityFloorDocument;
import dev.tierflow.policy.PolicyDocument.TenantBudgetDocument;
import dev.tierflow.policy.alerting.AlertingPolicy;
import dev.tierflow.policy.alerting.CostCeiling;
import dev.tierflow.policy.alerting.DeadLetterRule;
import dev.tierflow.policy.alerting.QualityFloor;
import dev.tierflow.policy.alerting.ScopePattern;
import dev.tierflow.policy.alerting.ScopePattern.Shape;
import dev.tierflow.policy.alerting.StuckTasksRule;
import dev.tierflow.policy.alerting.TenantBudget;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Checks the {@code alerting} section for {@link PolicyLoader}: every problem goes to the loader's list
 * under its field path, so one reading of the file names them all, the routing ones included.
 */
final class AlertingValidation {

    private static final String ROOT = "alerting";
    /** Quality is graded per attempt of a tier, so a floor may go down to the tier; spend is also billed per tenant. */
    private static final List<Shape> FLOOR_SHAPES = List.of(Shape.ROLE, Shape.ROLE_TYPE, Shape.ROLE_TYPE_TIER);
    private static final List<Shape> CEILING_SHAPES = List.of(Shape.ROLE, Shape.ROLE_TYPE, Shape.TENANT);

    private final BiConsumer<String, String> problem;
    private final Set<String> tierNames;

    /**
     * @param problem   records "field: message"
     * @param tierNames the policy's tiers, for scopes naming one; empty when the tiers themselves are broken
     */
    AlertingValidation(BiConsumer<String, String> problem, Set<String> tierNames) {
        this.problem = problem;
        this.tierNames = tierNames;
    }

    AlertingPolicy check(AlertingDocument doc) {
        if (doc == null) {
            return AlertingPolicy.empty();
        }
        double hysteresis = doc.hysteresis() == null ? AlertingPolicy.DEFAULT_HYSTERESIS : doc.hysteresis();
        if (!(hysteresis >= 0 && hysteresis < 0.5)) {
            problem.accept(ROOT + ".hysteresis", "must be within [0, 0.5), a fraction of the threshold, was " + hysteresis);
        }
        double headroom = doc.headroom() == null ? AlertingPolicy.DEFAULT_HEADROOM : doc.headroom();
        if (!(headroom >= 0 && headroom < 1)) {
            problem.accept(ROOT + ".headroom", "must be within [0, 1), added to a quality floor, was " + headroom);
        }
        int maxChanges = doc.maxChangesPerHour() == null ? AlertingPolicy.DEFAULT_MAX_CHANGES_PER_HOUR : doc.maxChangesPerHour();
        if (maxChanges < 1) {
            problem.accept(ROOT + ".maxChangesPerHour", "must be at least 1, was " + maxChanges);
        }
        StuckTasksRule stuck = null;
        if (doc.stuckTasks() != null) {
            stuck = new StuckTasksRule(count(ROOT + ".stuckTasks.maxPerWindow", doc.stuckTasks().maxPerWindow(), "stuck attempts"));
        }
        DeadLetterRule deadLetters = null;
        if (doc.deadLetters() != null) {
            deadLetters = new DeadLetterRule(count(ROOT + ".deadLetters.maxPerMinute", doc.deadLetters().maxPerMinute(), "dead letters"));
        }
        return new AlertingPolicy(floors(doc.qualityFloors()), ceilings(doc.costCeilings()), budgets(doc.tenantBudgets()),
                stuck, deadLetters, hysteresis, headroom,
                FieldChecks.positiveDuration(ROOT + ".cooldown", doc.cooldown(), AlertingPolicy.DEFAULT_COOLDOWN, problem),
                FieldChecks.positiveDuration(ROOT + ".probation", doc.probation(), AlertingPolicy.DEFAULT_PROBATION, problem),
                maxChanges,
                FieldChecks.positiveDuration(ROOT + ".overrideTtl", doc.overrideTtl(), null, problem));
    }

    private List<QualityFloor> floors(List<QualityFloorDocument> documents) {
        List<QualityFloor> floors = new ArrayList<>();
        Map<ScopePattern, String> seen = new HashMap<>();
        each(documents, "qualityFloors", (field, floor) -> {
            ScopePattern scope = scope(field, floor.scope(), FLOOR_SHAPES, seen);
            if (floor.floor() == null) {
                problem.accept(field + ".floor", "is required: the lowest acceptable quality mean, within [0, 1]");
            } else if (!(floor.floor() >= 0 && floor.floor() <= 1)) {
                problem.accept(field + ".floor", "must be within [0, 1], was " + floor.floor());
            }
            if (floor.minSamples() == null) {
                problem.accept(field + ".minSamples", "is required: the fewest graded attempts a window needs to be judged");
            } else if (floor.minSamples() < 1) {
                problem.accept(field + ".minSamples", "must be at least 1, was " + floor.minSamples());
            }
            if (scope != null && floor.floor() != null && floor.minSamples() != null) {
                floors.add(new QualityFloor(scope, floor.floor(), floor.minSamples()));
            }
        });
        return floors;
    }

    private List<CostCeiling> ceilings(List<CostCeilingDocument> documents) {
        List<CostCeiling> ceilings = new ArrayList<>();
        Map<ScopePattern, String> seen = new HashMap<>();
        each(documents, "costCeilings", (field, ceiling) -> {
            ScopePattern scope = scope(field, ceiling.scope(), CEILING_SHAPES, seen);
            if (ceiling.usdPerHour() == null) {
                problem.accept(field + ".usdPerHour", "is required: the most a scope may spend per hour, in USD");
            }
            Long micros = micros(field + ".usdPerHour", ceiling.usdPerHour());
            if (scope != null && micros != null) {
                ceilings.add(new CostCeiling(scope, micros));
            }
        });
        return ceilings;
    }

    private List<TenantBudget> budgets(List<TenantBudgetDocument> documents) {
        List<TenantBudget> budgets = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        each(documents, "tenantBudgets", (field, budget) -> {
            boolean tenantOk = false;
            if (budget.tenant() == null || budget.tenant().isBlank()) {
                problem.accept(field + ".tenant", "is required");
            } else if (budget.tenant().equals(ScopePattern.ANY)) {
                problem.accept(field + ".tenant", "must name one tenant: a budget is one tenant's money, * is not allowed here");
            } else if (seen.putIfAbsent(budget.tenant(), field) != null) {
                problem.accept(field + ".tenant", "duplicate budget for tenant '" + budget.tenant() + "' (also " + seen.get(budget.tenant()) + ")");
            } else {
                tenantOk = true;
            }
            if (budget.dailyUsd() == null && budget.monthlyUsd() == null) {
                problem.accept(field, "needs dailyUsd, monthlyUsd or both");
            }
            Long daily = micros(field + ".dailyUsd", budget.dailyUsd());
            Long monthly = micros(field + ".monthlyUsd", budget.monthlyUsd());
            List<Double> warnAt = warnAt(field + ".warnAt", budget.warnAt());
            boolean complete = (budget.dailyUsd() == null || daily != null) && (budget.monthlyUsd() == null || monthly != null)
                    && (daily != null || monthly != null);
            if (tenantOk && complete && warnAt != null) {
                budgets.add(new TenantBudget(budget.tenant(), daily, monthly, warnAt));
            }
        });
        return budgets;
    }

    /** Runs {@code check} on each entry of a list of the section with its field path; an empty entry is a problem. */
    private <D> void each(List<D> documents, String name, BiConsumer<String, D> check) {
        List<D> list = documents == null ? List.of() : documents;
        for (int i = 0; i < list.size(); i++) {
            String field = ROOT + "." + name + "[" + i + "]";
            if (list.get(i) == null) {
                problem.accept(field, "is empty");
            } else {
                check.accept(field, list.get(i));
            }
        }
    }

    /** The fractions ascending, whatever order the file lists them in; null after a problem. */
    private List<Double> warnAt(String field, List<Double> fractions) {
        if (fractions == null) {
            return AlertingPolicy.DEFAULT_WARN_AT;
        }
        if (fractions.isEmpty()) {
            problem.accept(field, "must list at least one fraction (leave it out for the default [0.8, 1.0])");
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < fractions.size(); i++) {
            Double fraction = fractions.get(i);
            if (fraction == null || !(fraction > 0 && fraction <= 1)) {
                problem.accept(field + "[" + i + "]", "must be within (0, 1], a fraction of the budget, was " + fraction);
                ok = false;
            } else if (fractions.indexOf(fraction) < i) {
                problem.accept(field + "[" + i + "]", "duplicate fraction " + fraction);
                ok = false;
            }
        }
        return ok ? fractions.stream().sorted().toList() : null;
    }

    private ScopePattern scope(String field, String text, List<Shape> shapes, Map<ScopePattern, String> seen) {
        ScopePattern scope;
        try {
            scope = ScopePattern.parse(text);
        } catch (IllegalArgumentException e) {
            problem.accept(field + ".scope", e.getMessage());
            return null;
        }
        if (!shapes.contains(scope.shape())) {
            String allowed = shapes.stream().map(Shape::example).collect(Collectors.joining(", "));
            problem.accept(field + ".scope", "must be one of " + allowed + " here, was '" + text + "'");
            return null;
        }
        String tier = scope.value("tier");
        if (tier != null && !tier.equals(ScopePattern.ANY) && !tierNames.isEmpty() && !tierNames.contains(tier)) {
            problem.accept(field + ".scope", "unknown tier '" + tier + "' (tiers are " + String.join(", ", tierNames) + ")");
            return null;
        }
        String earlier = seen.putIfAbsent(scope, field);
        if (earlier != null) {
            problem.accept(field + ".scope", "duplicate scope '" + scope + "' (also " + earlier + ")");
            return null;
        }
        return scope;
    }

    /** Micro-USD, exact: a value finer than a micro-dollar is refused, not rounded. Null when absent or refused. */
    private Long micros(String field, BigDecimal usd) {
        if (usd == null) {
            return null;
        }
        if (usd.signum() <= 0) {
            problem.accept(field, "must be more than 0 USD, was " + usd.toPlainString());
            return null;
        }
        try {
            return usd.movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            problem.accept(field, "must be a whole number of micro-USD (at most 6 decimal places), was " + usd.toPlainString());
            return null;
        }
    }

    private int count(String field, Integer value, String what) {
        if (value == null) {
            problem.accept(field, "is required: the most " + what + " allowed before it alerts");
            return 0;
        }
        if (value < 0) {
            problem.accept(field, "must not be negative, was " + value);
        }
        return value;
    }
}
