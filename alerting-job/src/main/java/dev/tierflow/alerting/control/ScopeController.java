package dev.tierflow.alerting.control;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.policy.Pin;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.alerting.AlertingPolicy;
import dev.tierflow.policy.alerting.CostCeiling;
import dev.tierflow.policy.alerting.QualityFloor;
import dev.tierflow.policy.alerting.StuckTasksRule;
import dev.tierflow.policy.alerting.TenantBudget;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.schemas.StatsScopes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The rules and actions of one action scope, as plain logic over its {@link ScopeState}: no Flink, no
 * clock. "Now" is the event time of what is being evaluated (a stats window's end).
 *
 * <ul>
 *   <li>Every condition has a lifecycle: FIRING once when breached, RESOLVED once when the value is back
 *       beyond the threshold by the hysteresis band, nothing in between.</li>
 *   <li>Quality floor breached: promote the scope one tier (never above the top). On probation after a
 *       cost demotion: revert at once and hold the scope at the higher tier for the cooldown.</li>
 *   <li>Cost ceiling breached while quality has headroom above its floor: demote one tier, on probation.</li>
 *   <li>Pinned scopes, scopes frozen by an operator rule, and globally disabled actions are never changed:
 *       the alert says what prevented the action. A cooldown and an hourly cap per scope damp changes.</li>
 *   <li>Every change is one {@link PolicyRule} (source ALERT, naming the alert) and one POLICY_ACTION alert.</li>
 * </ul>
 */
public final class ScopeController {

    private static final long HOUR_MILLIS = 3_600_000L;

    private final RoutingPolicy policy;
    private final AlertingPolicy rules;
    private final boolean actionsEnabled;

    public ScopeController(RoutingPolicy policy, boolean actionsEnabled) {
        this.policy = policy;
        this.rules = policy.alerting();
        this.actionsEnabled = actionsEnabled;
    }

    /** Evaluates one window of stats of a stats scope whose action scope is {@code scope}. */
    public Decisions onStats(ScopeState state, String scope, CostQualityStats stats) {
        Decisions out = new Decisions();
        long now = stats.getWindowEnd().toEpochMilli();
        advanceTime(state, scope, now, out);
        evaluateQuality(state, scope, stats, now, out);
        evaluateCost(state, scope, stats, now, out);
        evaluateStuck(state, stats, now, out);
        evaluateBudget(state, stats, out);
        return out;
    }

    /** A rule for the scope as the {@code policy} topic has it (the job's own writes come back this way too). */
    public void onPolicy(ScopeState state, PolicyChange change) {
        if (change.isRemoval()) {
            state.overrideTier = null;
            state.overrideSource = null;
            state.overrideExpiresAt = null;
            state.pinnedByRule = false;
            return;
        }
        PolicyRule rule = change.rule;
        state.version = Math.max(state.version, rule.getVersion());
        state.overrideTier = rule.getTier();
        state.overrideSource = rule.getSource().name();
        state.overrideExpiresAt = rule.getExpiresAt() == null ? null : rule.getExpiresAt().toEpochMilli();
        state.pinnedByRule = rule.getPinned();
    }

    /** Time-driven steps: probation ends, the job's own overrides expire. Also called from timers. */
    public Decisions onTime(ScopeState state, String scope, long now) {
        Decisions out = new Decisions();
        advanceTime(state, scope, now, out);
        return out;
    }

    /** The next instant {@link #onTime} has something to do for this scope, or {@code Long.MAX_VALUE}. */
    public long nextWakeUp(ScopeState state) {
        long next = Long.MAX_VALUE;
        if (state.probation != null) {
            next = Math.min(next, state.probation.untilMillis);
        }
        if (state.overrideExpiresAt != null && PolicySource.ALERT.name().equals(state.overrideSource)) {
            next = Math.min(next, state.overrideExpiresAt);
        }
        return next;
    }

    private void advanceTime(ScopeState state, String scope, long now, Decisions out) {
        if (state.probation != null && now >= state.probation.untilMillis) {
            Probation ended = state.probation;
            state.probation = null;
            out.alert(info(AlertKind.POLICY_ACTION, scope, now, ended.causedByAlertId + "/kept",
                    "kept " + scope + " on " + state.overrideTier + " after probation: quality held above its floor", null));
        }
        if (state.overrideExpiresAt != null && now >= state.overrideExpiresAt && PolicySource.ALERT.name().equals(state.overrideSource)) {
            String expiredTier = state.overrideTier;
            state.overrideTier = null;
            state.overrideSource = null;
            state.overrideExpiresAt = null;
            out.change(PolicyChange.remove(scope));
            out.alert(info(AlertKind.POLICY_ACTION, scope, now, "expired/" + scope + "/" + now,
                    "removed the expired automatic override of " + scope + " (" + expiredTier + "); the static policy applies", null));
        }
    }

    // ---- quality floor ------------------------------------------------------------------------------

    /**
     * Judged on the window and on its latest slide: a drop shows in the newest slice a window long before
     * it drags the window's mean under the floor. Recovery is judged on the whole window, so a promotion
     * is not undone by one good slice, and the band keeps a value at the threshold from flapping.
     */
    private void evaluateQuality(ScopeState state, String scope, CostQualityStats stats, long now, Decisions out) {
        QualityFloor floor = rules.floorFor(stats.getScope());
        if (floor == null) {
            return;
        }
        boolean windowJudged = stats.getQualityMean() != null && stats.getQualitySamples() >= floor.minSamples();
        boolean sliceJudged = stats.getLatestSliceQualityMean() != null && stats.getLatestSliceQualitySamples() >= floor.minSamples();
        if (!windowJudged && !sliceJudged) {
            return;
        }
        boolean windowBelow = windowJudged && stats.getQualityMean() < floor.floor();
        boolean sliceBelow = sliceJudged && stats.getLatestSliceQualityMean() < floor.floor();
        double observed = windowBelow || !sliceBelow ? (windowJudged ? stats.getQualityMean() : stats.getLatestSliceQualityMean())
                : stats.getLatestSliceQualityMean();
        Condition condition = state.condition(AlertKind.QUALITY_FLOOR + " " + stats.getScope());
        boolean breached = windowBelow || sliceBelow;
        boolean recovered = windowJudged && stats.getQualityMean() >= Math.min(1.0, floor.floor() * (1 + rules.hysteresis()))
                && !sliceBelow;
        if (!condition.firing && breached) {
            fire(condition, AlertKind.QUALITY_FLOOR, stats, now);
            String action = qualityAction(state, scope, stats, condition, now, out);
            String where = windowBelow ? String.format(Locale.ROOT, "quality of %s is %.3f, below its floor %.2f (%d samples)",
                    stats.getScope(), stats.getQualityMean(), floor.floor(), stats.getQualitySamples())
                    : String.format(Locale.ROOT, "quality of %s is %.3f in the latest slice (%d samples; window %s), below its floor %.2f",
                    stats.getScope(), stats.getLatestSliceQualityMean(), stats.getLatestSliceQualitySamples(),
                    stats.getQualityMean() == null ? "-" : String.format(Locale.ROOT, "%.3f", stats.getQualityMean()), floor.floor());
            out.alert(alert(condition.alertId, AlertKind.QUALITY_FLOOR, AlertState.FIRING, stats, observed, floor.floor(), action, now, where));
        } else if (condition.firing && recovered) {
            out.alert(alert(condition.alertId, AlertKind.QUALITY_FLOOR, AlertState.RESOLVED, stats, stats.getQualityMean(), floor.floor(), null,
                    now, String.format(Locale.ROOT, "quality of %s is back to %.3f, above its floor %.2f", stats.getScope(),
                            stats.getQualityMean(), floor.floor())));
            resolve(condition);
        } else if (condition.firing && breached && !condition.settled) {
            // an action the cooldown or the hourly cap held back earlier may be allowed now
            String action = qualityAction(state, scope, stats, condition, now, out);
            if (condition.settled) {
                out.alert(info(AlertKind.QUALITY_FLOOR, scope, now, condition.alertId + "/retry", action, null));
            }
        }
    }

    /** Returns what was done or why nothing was; marks the condition settled unless a retry could succeed. */
    private String qualityAction(ScopeState state, String scope, CostQualityStats stats, Condition condition, long now, Decisions out) {
        if (state.probation != null) {
            condition.settled = true;
            return revertDemotion(state, scope, condition, now, out);
        }
        String refusal = refusal(state, scope);
        if (refusal != null) {
            condition.settled = true;
            return refusal;
        }
        Tier current = currentTier(state, scope);
        String statsTier = Scopes.tierOf(stats.getScope());
        Tier from = statsTier != null ? policy.tier(statsTier) : current;
        if (from == null) {
            condition.settled = true;
            return "none: tier '" + statsTier + "' is not in the policy";
        }
        if (statsTier != null && current.rank() > from.rank()) {
            condition.settled = true;
            return "none: " + scope + " is already routed above " + statsTier + " (to " + current.name() + ")";
        }
        if (from.rank() == policy.topTier().rank()) {
            condition.settled = true;
            return "none: " + scope + " is already on the top tier (" + from.name() + ")";
        }
        String damped = damped(state, now);
        if (damped != null) {
            return damped; // not settled: retried on a later window
        }
        condition.settled = true;
        Tier to = policy.tierAbove(from);
        long version = write(state, scope, to, "quality of " + stats.getScope() + " below its floor", condition.alertId, now, out);
        String action = "promoted " + scope + " from " + from.name() + " to " + to.name() + " (policy v" + version + ")";
        out.alert(info(AlertKind.POLICY_ACTION, scope, now, condition.alertId + "/action", action, version));
        out.alert(info(AlertKind.COST_NOTICE, scope, now, condition.alertId + "/cost-notice",
                "promoting " + scope + " to " + to.name() + " (" + to.model() + ") raises its spend; the cost ceilings stay armed", version));
        return action;
    }

    private String revertDemotion(ScopeState state, String scope, Condition condition, long now, Decisions out) {
        Probation probation = state.probation;
        state.probation = null;
        state.heldUntil = now + rules.cooldown().toMillis();
        state.changes.add(now);
        String action;
        Long version = null;
        if (probation.previousOverrideTier == null) {
            state.overrideTier = null;
            state.overrideSource = null;
            state.overrideExpiresAt = null;
            out.change(PolicyChange.remove(scope));
            action = "reverted the demotion of " + scope + " at once (back to the static " + probation.fromTier + ")";
        } else {
            version = write(state, scope, policy.tier(probation.previousOverrideTier),
                    "revert: quality broke its floor on probation", condition.alertId, now, out);
            action = "reverted the demotion of " + scope + " at once (back to " + probation.previousOverrideTier + ", policy v" + version + ")";
        }
        action += "; held there until " + Instant.ofEpochMilli(state.heldUntil);
        out.alert(info(AlertKind.POLICY_ACTION, scope, now, condition.alertId + "/revert", action, version));
        return action;
    }

    // ---- cost ceiling -------------------------------------------------------------------------------

    private void evaluateCost(ScopeState state, String scope, CostQualityStats stats, long now, Decisions out) {
        CostCeiling ceiling = rules.ceilingFor(stats.getScope());
        long windowMillis = stats.getWindowEnd().toEpochMilli() - stats.getWindowStart().toEpochMilli();
        if (ceiling == null || windowMillis <= 0) {
            return;
        }
        double perHour = (double) stats.getCostMicros() * HOUR_MILLIS / windowMillis;
        Condition condition = state.condition(AlertKind.COST_CEILING + " " + stats.getScope());
        boolean breached = perHour > ceiling.microsPerHour();
        boolean recovered = perHour <= ceiling.microsPerHour() * (1 - rules.hysteresis());
        if (!condition.firing && breached) {
            fire(condition, AlertKind.COST_CEILING, stats, now);
            String action = costAction(state, scope, stats, condition, now, out);
            out.alert(alert(condition.alertId, AlertKind.COST_CEILING, AlertState.FIRING, stats, perHour, ceiling.microsPerHour(), action, now,
                    String.format(Locale.ROOT, "%s spends $%.2f/h, above its ceiling of $%.2f/h",
                            stats.getScope(), perHour / 1e6, ceiling.microsPerHour() / 1e6)));
        } else if (condition.firing && recovered) {
            out.alert(alert(condition.alertId, AlertKind.COST_CEILING, AlertState.RESOLVED, stats, perHour, ceiling.microsPerHour(), null, now,
                    String.format(Locale.ROOT, "%s spends $%.2f/h, back under its ceiling of $%.2f/h",
                            stats.getScope(), perHour / 1e6, ceiling.microsPerHour() / 1e6)));
            resolve(condition);
        } else if (condition.firing && breached && !condition.settled) {
            String action = costAction(state, scope, stats, condition, now, out);
            if (condition.settled) {
                out.alert(info(AlertKind.COST_CEILING, scope, now, condition.alertId + "/retry", action, null));
            }
        }
    }

    private String costAction(ScopeState state, String scope, CostQualityStats stats, Condition condition, long now, Decisions out) {
        if (StatsScopes.isTenant(scope)) {
            condition.settled = true;
            return "none: a tenant's ceiling alerts; it does not move its tasks between tiers";
        }
        String refusal = refusal(state, scope);
        if (refusal != null) {
            condition.settled = true;
            return refusal;
        }
        if (state.probation != null) {
            condition.settled = true;
            return "none: " + scope + " is already on probation after a demotion";
        }
        if (now < state.heldUntil) {
            return "none: " + scope + " is held at " + currentTier(state, scope).name() + " until " + Instant.ofEpochMilli(state.heldUntil)
                    + " after a reverted demotion";
        }
        QualityFloor floor = rules.floorFor(stats.getScope());
        if (floor == null) {
            condition.settled = true;
            return "none: no quality floor covers " + stats.getScope() + ", so a cheaper tier cannot be guarded";
        }
        if (stats.getQualityMean() == null || stats.getQualitySamples() < floor.minSamples()) {
            return "none: not enough quality samples to know the headroom (" + stats.getQualitySamples() + " of " + floor.minSamples() + ")";
        }
        double needed = floor.floor() + rules.headroom();
        double quality = stats.getQualityMean();
        if (stats.getLatestSliceQualityMean() != null && stats.getLatestSliceQualitySamples() >= floor.minSamples()) {
            // the newer of the two readings may already show a drop the window has not
            quality = Math.min(quality, stats.getLatestSliceQualityMean());
        }
        if (quality < needed) {
            return String.format(Locale.ROOT, "none: quality %.3f has no headroom above its floor %.2f (needs %.2f)",
                    quality, floor.floor(), needed);
        }
        Tier current = currentTier(state, scope);
        if (current.rank() == 0) {
            condition.settled = true;
            return "none: " + scope + " is already on the cheapest tier (" + current.name() + ")";
        }
        String damped = damped(state, now);
        if (damped != null) {
            return damped;
        }
        condition.settled = true;
        Tier to = policy.tiers().get(current.rank() - 1);
        Probation probation = new Probation();
        probation.untilMillis = now + rules.probation().toMillis();
        probation.fromTier = current.name();
        probation.previousOverrideTier = state.overrideTier;
        probation.causedByAlertId = condition.alertId;
        long version = write(state, scope, to, "cost ceiling of " + stats.getScope() + " breached with quality headroom; on probation",
                condition.alertId, now, out);
        state.probation = probation;
        String action = "demoted " + scope + " from " + current.name() + " to " + to.name() + " on probation until "
                + Instant.ofEpochMilli(probation.untilMillis) + " (policy v" + version + ")";
        out.alert(info(AlertKind.POLICY_ACTION, scope, now, condition.alertId + "/action", action, version));
        return action;
    }

    // ---- stuck tasks and tenant budgets ---------------------------------------------------------------

    private void evaluateStuck(ScopeState state, CostQualityStats stats, long now, Decisions out) {
        StuckTasksRule rule = rules.stuckTasks();
        if (rule == null || !StatsScopes.isRole(stats.getScope())) {
            return;
        }
        long stuck = stats.getStuckCount();
        Condition condition = state.condition(AlertKind.STUCK_TASKS + " " + stats.getScope());
        if (!condition.firing && stuck > rule.maxPerWindow()) {
            fire(condition, AlertKind.STUCK_TASKS, stats, now);
            out.alert(alert(condition.alertId, AlertKind.STUCK_TASKS, AlertState.FIRING, stats, stuck, rule.maxPerWindow(),
                    "none: stuck tasks alert only", now, stats.getScope() + ": " + stuck + " routed tasks got no result in the window"));
        } else if (condition.firing && stuck <= rule.maxPerWindow() * (1 - rules.hysteresis())) {
            out.alert(alert(condition.alertId, AlertKind.STUCK_TASKS, AlertState.RESOLVED, stats, stuck, rule.maxPerWindow(), null, now,
                    stats.getScope() + ": stuck tasks back to " + stuck + " in the window"));
            resolve(condition);
        }
    }

    /**
     * Spend per UTC day and month, counted exactly: sliding windows overlap, but those starting at a
     * multiple of the window size tile time, so their costs add up to the spend with nothing counted twice.
     */
    private void evaluateBudget(ScopeState state, CostQualityStats stats, Decisions out) {
        if (!StatsScopes.isTenant(stats.getScope())) {
            return;
        }
        TenantBudget budget = rules.budgetFor(stats.getTenant());
        long start = stats.getWindowStart().toEpochMilli();
        long size = stats.getWindowEnd().toEpochMilli() - start;
        if (budget == null || size <= 0 || Math.floorMod(start, size) != 0) {
            return;
        }
        var date = Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC).toLocalDate();
        String day = "day " + date;
        String month = "month " + date.withDayOfMonth(1).toString().substring(0, 7);
        state.spendByPeriod.keySet().removeIf(period -> !period.equals(day) && !period.equals(month) && !period.startsWith(month + " "));
        // a window that fires again after late data replaces its earlier total
        state.spendByPeriod.computeIfAbsent(day, k -> new java.util.HashMap<>()).put(start, stats.getCostMicros());
        state.spendByPeriod.computeIfAbsent(month + " " + day, k -> new java.util.HashMap<>()).put(start, stats.getCostMicros());
        long daySpend = sum(state.spendByPeriod.get(day));
        long monthSpend = state.spendByPeriod.entrySet().stream().filter(e -> e.getKey().startsWith(month + " "))
                .mapToLong(e -> sum(e.getValue())).sum();
        state.budgetWarnings.removeIf(warning -> !warning.startsWith(day) && !warning.startsWith(month));
        checkBudget(state, stats, budget.dailyMicros(), daySpend, day, budget, out);
        checkBudget(state, stats, budget.monthlyMicros(), monthSpend, month, budget, out);
    }

    private void checkBudget(ScopeState state, CostQualityStats stats, Long budgetMicros, long spend, String period, TenantBudget budget,
                             Decisions out) {
        if (budgetMicros == null) {
            return;
        }
        for (double fraction : budget.warnAt()) {
            String key = period + " " + fraction;
            if (spend >= fraction * budgetMicros && !state.budgetWarnings.contains(key)) {
                state.budgetWarnings.add(key);
                long now = stats.getWindowEnd().toEpochMilli();
                out.alert(alert("TENANT_BUDGET/" + stats.getScope() + "/" + period.replace(' ', '/') + "/" + fraction,
                        AlertKind.TENANT_BUDGET, AlertState.FIRING, stats, spend, fraction * budgetMicros, "none: budgets alert only", now,
                        String.format(Locale.ROOT, "%s has spent $%.2f of its %s budget of $%.2f (%.0f %%)", stats.getTenant(),
                                spend / 1e6, period, budgetMicros / 1e6, 100.0 * spend / budgetMicros)));
            }
        }
    }

    private static long sum(java.util.Map<Long, Long> costs) {
        return costs == null ? 0 : costs.values().stream().mapToLong(Long::longValue).sum();
    }

    // ---- shared ------------------------------------------------------------------------------------

    /** Why nothing automatic may touch the scope at all, or null. */
    private String refusal(ScopeState state, String scope) {
        if (!actionsEnabled) {
            return "none: automatic actions are disabled (tierflow.alerting.actions.enabled=false)";
        }
        Pin pin = pinCovering(scope);
        if (pin != null) {
            return "none: " + scope + " is pinned by " + pin.ruleDetail();
        }
        if (state.pinnedByRule) {
            return "none: " + scope + " is pinned by a compliance rule on the policy topic";
        }
        if (PolicySource.OPERATOR.name().equals(state.overrideSource)) {
            return "none: " + scope + " is frozen by an operator rule (" + state.overrideTier + ")";
        }
        return null;
    }

    /** Why a change must wait (cooldown, hourly cap), or null. */
    private String damped(ScopeState state, long now) {
        state.changes.removeIf(at -> at <= now - HOUR_MILLIS);
        long last = state.changes.stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
        if (last != Long.MIN_VALUE && now < last + rules.cooldown().toMillis()) {
            return "none yet: cooldown until " + Instant.ofEpochMilli(last + rules.cooldown().toMillis());
        }
        if (state.changes.size() >= rules.maxChangesPerHour()) {
            return "none yet: " + rules.maxChangesPerHour() + " changes in the last hour, the cap";
        }
        return null;
    }

    /** A pin of the policy file that takes every task of the scope (same role and type, no tenant or attributes). */
    private Pin pinCovering(String scope) {
        String role = Scopes.value(scope, "role");
        String type = Scopes.value(scope, "type");
        String tenant = Scopes.value(scope, "tenant");
        for (Pin pin : policy.pins()) {
            boolean attributesFree = pin.attributes() == null || pin.attributes().isEmpty();
            if (tenant != null && tenant.equals(pin.tenant()) && pin.role() == null && pin.taskType() == null && attributesFree) {
                return pin;
            }
            if (role != null && role.equals(pin.role()) && pin.tenant() == null && attributesFree
                    && (pin.taskType() == null || pin.taskType().equals(type))) {
                return pin;
            }
        }
        return null;
    }

    /** The live override in force, else the static rule for the role, else the default tier. */
    Tier currentTier(ScopeState state, String scope) {
        if (state.overrideTier != null && policy.tier(state.overrideTier) != null) {
            return policy.tier(state.overrideTier);
        }
        String role = Scopes.value(scope, "role");
        Tier tier = role == null ? null : policy.tierForRole(role);
        return tier != null ? tier : policy.defaultTier();
    }

    private long write(ScopeState state, String scope, Tier to, String reason, String alertId, long now, Decisions out) {
        long version = ++state.version;
        Long expires = rules.overrideTtl() == null ? null : now + rules.overrideTtl().toMillis();
        out.change(PolicyChange.set(PolicyRule.newBuilder()
                .setScope(scope).setTier(to.name()).setModel(null).setMaxOutputTokens(null).setPinned(false)
                .setSource(PolicySource.ALERT).setReason(reason).setCausedByAlertId(alertId).setVersion(version)
                .setUpdatedAt(Instant.ofEpochMilli(now)).setExpiresAt(expires == null ? null : Instant.ofEpochMilli(expires))
                .build()));
        state.overrideTier = to.name();
        state.overrideSource = PolicySource.ALERT.name();
        state.overrideExpiresAt = expires;
        state.changes.add(now);
        return version;
    }

    private static void fire(Condition condition, AlertKind kind, CostQualityStats stats, long now) {
        condition.firing = true;
        condition.settled = false;
        condition.firingSince = now;
        condition.alertId = kind + "/" + stats.getScope() + "/" + now;
    }

    private static void resolve(Condition condition) {
        condition.firing = false;
        condition.settled = false;
    }

    private static Alert alert(String id, AlertKind kind, AlertState state, CostQualityStats stats, double observed, double threshold,
                               String action, long now, String message) {
        return Alert.newBuilder().setAlertId(id).setKind(kind).setState(state).setScope(stats.getScope())
                .setObserved(observed).setThreshold(threshold)
                .setWindowStart(stats.getWindowStart()).setWindowEnd(stats.getWindowEnd())
                .setActionTaken(action).setPolicyVersion(null).setMessage(message).setAt(Instant.ofEpochMilli(now)).build();
    }

    private static Alert info(AlertKind kind, String scope, long now, String id, String message, Long version) {
        return Alert.newBuilder().setAlertId(id).setKind(kind).setState(AlertState.INFO).setScope(scope)
                .setObserved(0).setThreshold(0).setWindowStart(null).setWindowEnd(null)
                .setActionTaken(message).setPolicyVersion(version).setMessage(message).setAt(Instant.ofEpochMilli(now)).build();
    }
}
