package dev.tierflow.alerting.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.testing.TestInstants;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The rules and actions of one scope, window by window. Windows are 60 s long, so a window's cost
 * scaled to an hour is 60 × its cost: 40,000 µ$ in a window is $2.40/h. Floors: 0.70 with 10 samples
 * for every role and every role × type × tier; ceilings: $1.00/h for every role, $100/h for tenant acme;
 * hysteresis 5 %, headroom 0.05, cooldown and
 * probation 10 min, at most 2 changes per hour.
 */
class ScopeControllerTest {

    static final String POLICY = """
            version: "alerting-test"
            tiers:
              - {name: small, model: small-model, provider: sim}
              - {name: mid, model: mid-model, provider: sim}
              - {name: frontier, model: frontier-model, provider: sim}
            defaultTier: mid
            roles: {planner: frontier, worker: small, critic: mid, reviewer: mid}
            pins:
              - {name: reviewer-eu, match: {role: reviewer}, tier: mid, model: mid-model, provider: sim}
            alerting:
              qualityFloors:
                - {scope: "role=*", floor: 0.70, minSamples: 10}
                - {scope: "role=*/type=*/tier=*", floor: 0.70, minSamples: 10}
              costCeilings:
                - {scope: "role=*", usdPerHour: 1.00}
                - {scope: "tenant=acme", usdPerHour: 100.00}
              tenantBudgets:
                - {tenant: acme, dailyUsd: 1.00, warnAt: [0.5, 1.0]}
              stuckTasks: {maxPerWindow: 3}
              hysteresis: 0.05
              headroom: 0.05
              cooldown: PT10M
              probation: PT10M
              maxChangesPerHour: 2
            """;

    private static final Instant T = TestInstants.BEGINNING;
    private static final long CHEAP = 1_000;        // $0.06/h
    private static final long EXPENSIVE = 40_000;   // $2.40/h

    private final RoutingPolicy policy = PolicyLoader.parse(POLICY, "test.yaml");
    private final ScopeController controller = new ScopeController(policy, true);
    private final ScopeState state = new ScopeState();

    @Test
    void aQualityBreachFiresOncePromotesTheScopeAndResolvesPastTheHysteresisBand() {
        Decisions breach = controller.onStats(state, "role=worker", stats("role=worker", T, 0.50, 20, CHEAP));

        Alert firing = only(breach, AlertKind.QUALITY_FLOOR);
        assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
        assertThat(firing.getObserved()).isEqualTo(0.50);
        assertThat(firing.getThreshold()).isEqualTo(0.70);
        assertThat(firing.getActionTaken()).startsWith("promoted role=worker from small to mid");
        PolicyRule rule = onlyRule(breach);
        assertThat(rule.getScope()).isEqualTo("role=worker");
        assertThat(rule.getTier()).isEqualTo("mid");
        assertThat(rule.getSource()).isEqualTo(PolicySource.ALERT);
        assertThat(rule.getCausedByAlertId()).isEqualTo(firing.getAlertId());
        assertThat(rule.getVersion()).isEqualTo(1);
        assertThat(rule.getUpdatedAt()).isEqualTo(T.plusSeconds(60));
        assertThat(kinds(breach)).containsExactlyInAnyOrder(AlertKind.QUALITY_FLOOR, AlertKind.POLICY_ACTION, AlertKind.COST_NOTICE);

        // still below the floor: no second FIRING, no second change
        Decisions same = controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(20), 0.55, 20, CHEAP));
        assertThat(same.alerts()).isEmpty();
        assertThat(same.policyChanges()).isEmpty();
        // above the floor but inside the band (0.70 × 1.05 = 0.735): still firing, no flapping
        assertThat(controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(40), 0.72, 20, CHEAP)).alerts()).isEmpty();

        Decisions recovered = controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(60), 0.80, 20, CHEAP));
        Alert resolved = only(recovered, AlertKind.QUALITY_FLOOR);
        assertThat(resolved.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.getAlertId()).isEqualTo(firing.getAlertId());
        assertThat(recovered.policyChanges()).isEmpty();
    }

    @Test
    void aWindowWithTooFewSamplesIsNotJudged() {
        assertThat(controller.onStats(state, "role=worker", stats("role=worker", T, 0.10, 9, CHEAP)).alerts()).isEmpty();
    }

    @Test
    void aCostBreachWithQualityHeadroomDemotesOnProbationAndKeepsItWhenQualityHolds() {
        Decisions breach = controller.onStats(state, "role=planner", stats("role=planner", T, 0.90, 20, EXPENSIVE));

        Alert firing = only(breach, AlertKind.COST_CEILING);
        assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
        assertThat(firing.getObserved()).isEqualTo(2_400_000.0);
        assertThat(firing.getThreshold()).isEqualTo(1_000_000.0);
        assertThat(firing.getActionTaken()).startsWith("demoted role=planner from frontier to mid on probation until 2026-01-05T09:11:00Z");
        assertThat(onlyRule(breach).getTier()).isEqualTo("mid");

        // quality holds through the probation: the demotion is kept
        controller.onStats(state, "role=planner", stats("role=planner", T.plusSeconds(300), 0.85, 20, CHEAP));
        Decisions kept = controller.onStats(state, "role=planner", stats("role=planner", T.plusSeconds(600), 0.85, 20, CHEAP));
        assertThat(kept.alerts()).anySatisfy(alert -> {
            assertThat(alert.getKind()).isEqualTo(AlertKind.POLICY_ACTION);
            assertThat(alert.getMessage()).startsWith("kept role=planner on mid after probation");
        });
        assertThat(kept.policyChanges()).isEmpty();
        assertThat(state.probation).isNull();
    }

    @Test
    void aQualityBreachOnProbationRevertsTheDemotionAtOnceAndHoldsTheScope() {
        controller.onStats(state, "role=planner", stats("role=planner", T, 0.90, 20, EXPENSIVE));

        Decisions broken = controller.onStats(state, "role=planner", stats("role=planner", T.plusSeconds(20), 0.60, 20, EXPENSIVE));

        // the planner had no override before: the revert removes the automatic one (a tombstone)
        assertThat(broken.policyChanges()).singleElement().satisfies(change -> {
            assertThat(change.isRemoval()).isTrue();
            assertThat(change.scope).isEqualTo("role=planner");
        });
        assertThat(only(broken, AlertKind.QUALITY_FLOOR).getActionTaken()).startsWith("reverted the demotion of role=planner at once");
        // cost is still over the ceiling, but the scope is held at the higher tier for the cooldown
        controller.onStats(state, "role=planner", stats("role=planner", T.plusSeconds(40), 0.90, 20, CHEAP));
        Decisions again = controller.onStats(state, "role=planner", stats("role=planner", T.plusSeconds(60), 0.90, 20, EXPENSIVE));
        assertThat(again.policyChanges()).isEmpty();
    }

    @Test
    void noHeadroomAboveTheFloorMeansNoDemotion() {
        Decisions breach = controller.onStats(state, "role=planner", stats("role=planner", T, 0.72, 20, EXPENSIVE));

        assertThat(only(breach, AlertKind.COST_CEILING).getActionTaken())
                .isEqualTo("none: quality 0.720 has no headroom above its floor 0.70 (needs 0.75)");
        assertThat(breach.policyChanges()).isEmpty();
    }

    @Test
    void aPinnedScopeIsNeverChangedButStillAlerts() {
        Decisions breach = controller.onStats(state, "role=reviewer", stats("role=reviewer", T, 0.40, 20, CHEAP));

        assertThat(only(breach, AlertKind.QUALITY_FLOOR).getActionTaken()).isEqualTo("none: role=reviewer is pinned by pin reviewer-eu");
        assertThat(breach.policyChanges()).isEmpty();
    }

    @Test
    void anOperatorRuleFreezesTheScope() {
        controller.onPolicy(state, PolicyChange.set(PolicyRule.newBuilder().setScope("role=worker").setTier("small").setModel(null)
                .setMaxOutputTokens(null).setPinned(false).setSource(PolicySource.OPERATOR).setReason("hands off during the audit")
                .setCausedByAlertId(null).setVersion(7).setUpdatedAt(T).setExpiresAt(null).build()));

        Decisions breach = controller.onStats(state, "role=worker", stats("role=worker", T, 0.40, 20, CHEAP));

        assertThat(only(breach, AlertKind.QUALITY_FLOOR).getActionTaken()).isEqualTo("none: role=worker is frozen by an operator rule (small)");
        assertThat(breach.policyChanges()).isEmpty();
        // the operator's tombstone lifts the freeze, and the next rule written continues its version
        controller.onPolicy(state, PolicyChange.remove("role=worker"));
        controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(20), 0.90, 20, CHEAP));
        Decisions next = controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(40), 0.40, 20, CHEAP));
        assertThat(onlyRule(next).getVersion()).isEqualTo(8);
    }

    @Test
    void theCooldownDefersAChangeUntilItEndsAndTheHourlyCapStopsMore() {
        controller.onStats(state, "role=worker", stats("role=worker", T, 0.50, 20, CHEAP));        // small -> mid at 09:01
        controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(60), 0.90, 20, CHEAP)); // resolved

        Decisions early = controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(120), 0.50, 20, CHEAP));
        assertThat(only(early, AlertKind.QUALITY_FLOOR).getActionTaken()).isEqualTo("none yet: cooldown until 2026-01-05T09:11:00Z");
        assertThat(early.policyChanges()).isEmpty();

        // still firing when the cooldown ends: the deferred promotion happens (mid -> frontier)
        Decisions later = controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(600), 0.50, 20, CHEAP));
        assertThat(onlyRule(later).getTier()).isEqualTo("frontier");

        // two changes in the hour: a cost demotion is refused even after the cooldown
        controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(660), 0.90, 20, CHEAP));
        Decisions capped = controller.onStats(state, "role=worker", stats("role=worker", T.plusSeconds(1260), 0.90, 20, EXPENSIVE));
        assertThat(only(capped, AlertKind.COST_CEILING).getActionTaken()).isEqualTo("none yet: 2 changes in the last hour, the cap");
        assertThat(capped.policyChanges()).isEmpty();
    }

    @Test
    void disabledActionsAndTheTopTierAreReported() {
        ScopeController alertOnly = new ScopeController(policy, false);
        assertThat(only(alertOnly.onStats(new ScopeState(), "role=worker", stats("role=worker", T, 0.5, 20, CHEAP)), AlertKind.QUALITY_FLOOR)
                .getActionTaken()).isEqualTo("none: automatic actions are disabled (tierflow.alerting.actions.enabled=false)");
        assertThat(only(controller.onStats(state, "role=planner", stats("role=planner", T, 0.5, 20, CHEAP)), AlertKind.QUALITY_FLOOR)
                .getActionTaken()).isEqualTo("none: role=planner is already on the top tier (frontier)");
    }

    @Test
    void aTierScopedBreachPromotesItsRoleAndTypeFromThatTier() {
        Decisions breach = controller.onStats(state, "role=worker/type=extract",
                stats("role=worker/type=extract/tier=small", T, 0.50, 20, CHEAP));

        PolicyRule rule = onlyRule(breach);
        assertThat(rule.getScope()).isEqualTo("role=worker/type=extract");
        assertThat(rule.getTier()).isEqualTo("mid");
    }

    @Test
    void stuckTasksFireAndResolve() {
        CostQualityStats stuck = stats("role=worker", T, 0.9, 20, CHEAP);
        stuck.setStuckCount(4L);
        assertThat(only(controller.onStats(state, "role=worker", stuck), AlertKind.STUCK_TASKS).getState()).isEqualTo(AlertState.FIRING);
        CostQualityStats fine = stats("role=worker", T.plusSeconds(20), 0.9, 20, CHEAP);
        fine.setStuckCount(2L);
        assertThat(only(controller.onStats(state, "role=worker", fine), AlertKind.STUCK_TASKS).getState()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void tenantSpendIsCountedFromNonOverlappingWindowsAndWarnsOncePerThreshold() {
        // windows of 60 s sliding by 20 s; only those starting on a whole minute tile the day
        CostQualityStats first = tenant(T, 300_000);
        CostQualityStats overlapping = tenant(T.plusSeconds(20), 900_000);   // ignored: overlaps the first and the next
        CostQualityStats second = tenant(T.plusSeconds(60), 250_000);
        assertThat(controller.onStats(state, "tenant=acme", first).alerts()).isEmpty();
        assertThat(controller.onStats(state, "tenant=acme", overlapping).alerts()).isEmpty();

        Decisions half = controller.onStats(state, "tenant=acme", second);   // 550,000 of 1,000,000: 50 %
        Alert warning = only(half, AlertKind.TENANT_BUDGET);
        assertThat(warning.getObserved()).isEqualTo(550_000.0);
        assertThat(warning.getThreshold()).isEqualTo(500_000.0);
        // the first window fires again after late data: its total is replaced, not added
        assertThat(controller.onStats(state, "tenant=acme", tenant(T, 320_000)).alerts()).isEmpty();
        Decisions full = controller.onStats(state, "tenant=acme", tenant(T.plusSeconds(120), 430_000)); // 1,000,000: 100 %
        assertThat(only(full, AlertKind.TENANT_BUDGET).getThreshold()).isEqualTo(1_000_000.0);
    }

    @Test
    void anAutomaticOverrideExpiresAfterItsTtlAndIsRemovedWithATombstone() {
        RoutingPolicy withTtl = PolicyLoader.parse(POLICY.replace("maxChangesPerHour: 2", "maxChangesPerHour: 2\n  overrideTtl: PT30M"), "ttl.yaml");
        ScopeController expiring = new ScopeController(withTtl, true);

        Decisions promoted = expiring.onStats(state, "role=worker", stats("role=worker", T, 0.5, 20, CHEAP));
        Instant expiresAt = T.plusSeconds(60).plus(Duration.ofMinutes(30));
        assertThat(onlyRule(promoted).getExpiresAt()).isEqualTo(expiresAt);
        assertThat(expiring.nextWakeUp(state)).isEqualTo(expiresAt.toEpochMilli());

        assertThat(expiring.onTime(state, "role=worker", expiresAt.toEpochMilli() - 1).policyChanges()).isEmpty();
        Decisions expired = expiring.onTime(state, "role=worker", expiresAt.toEpochMilli());
        assertThat(expired.policyChanges()).singleElement().satisfies(change -> {
            assertThat(change.isRemoval()).isTrue();
            assertThat(change.scope).isEqualTo("role=worker");
        });
        assertThat(only(expired, AlertKind.POLICY_ACTION).getMessage()).startsWith("removed the expired automatic override of role=worker (mid)");
        assertThat(expiring.nextWakeUp(state)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aDropInTheLatestSliceFiresBeforeTheWindowMeanFallsAndRecoveryWaitsForTheWindow() {
        CostQualityStats dropping = slice(stats("role=worker", T, 0.78, 200, CHEAP), 0.40, 30);

        Decisions breach = controller.onStats(state, "role=worker", dropping);

        Alert firing = only(breach, AlertKind.QUALITY_FLOOR);
        assertThat(firing.getObserved()).isEqualTo(0.40);
        assertThat(firing.getMessage()).isEqualTo("quality of role=worker is 0.400 in the latest slice (30 samples; window 0.780), below its floor 0.70");
        assertThat(onlyRule(breach).getTier()).isEqualTo("mid");
        // the newest slice is good again, but the window is still inside the band: no RESOLVED yet
        assertThat(controller.onStats(state, "role=worker", slice(stats("role=worker", T.plusSeconds(20), 0.72, 200, CHEAP), 0.90, 30))
                .alerts()).isEmpty();
        assertThat(only(controller.onStats(state, "role=worker", slice(stats("role=worker", T.plusSeconds(40), 0.80, 200, CHEAP), 0.90, 30)),
                AlertKind.QUALITY_FLOOR).getState()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aSliceWithTooFewSamplesIsNotJudged() {
        assertThat(controller.onStats(state, "role=worker", slice(stats("role=worker", T, 0.80, 200, CHEAP), 0.10, 9)).alerts()).isEmpty();
    }

    @Test
    void aDropInTheLatestSliceTakesAwayTheHeadroomForACostDemotion() {
        Decisions breach = controller.onStats(state, "role=planner", slice(stats("role=planner", T, 0.90, 200, EXPENSIVE), 0.72, 30));

        assertThat(only(breach, AlertKind.COST_CEILING).getActionTaken())
                .isEqualTo("none: quality 0.720 has no headroom above its floor 0.70 (needs 0.75)");
        assertThat(breach.policyChanges()).isEmpty();
    }

    private static CostQualityStats slice(CostQualityStats stats, double mean, long samples) {
        stats.setLatestSliceQualityMean(mean);
        stats.setLatestSliceQualitySamples(samples);
        return stats;
    }

    private static CostQualityStats tenant(Instant start, long cost) {
        CostQualityStats stats = stats("tenant=acme", start, 0.9, 20, cost);
        stats.setRole(null);
        stats.setTenant("acme");
        return stats;
    }

    static CostQualityStats stats(String scope, Instant start, double quality, long samples, long costMicros) {
        return CostQualityStats.newBuilder().setScope(scope).setRole(scope.startsWith("role=") ? scope.split("/")[0].substring(5) : null)
                .setTaskType(null).setTier(null).setTenant(null).setModel(null)
                .setWindowStart(start).setWindowEnd(start.plus(Duration.ofSeconds(60)))
                .setCount(samples).setInputTokens(1_000 * samples).setOutputTokens(200 * samples).setCostMicros(costMicros)
                .setFrontierCostMicros(costMicros * 10).setQualityMean(quality).setQualitySamples(samples).setCheckPassRate(1.0)
                .setEscalationRate(0.0).setErrorRate(0.0).setLatencyP50Ms(500.0).setLatencyP95Ms(900.0)
                .setStuckCount(0L).setUnmatchedCount(0L).build();
    }

    private static Alert only(Decisions decisions, AlertKind kind) {
        var matching = decisions.alerts().stream().filter(alert -> alert.getKind() == kind).toList();
        assertThat(matching).as("%s alerts in %s", kind, decisions.alerts()).hasSize(1);
        return matching.get(0);
    }

    private static PolicyRule onlyRule(Decisions decisions) {
        assertThat(decisions.policyChanges()).hasSize(1);
        return decisions.policyChanges().get(0).rule;
    }

    private static java.util.List<AlertKind> kinds(Decisions decisions) {
        return decisions.alerts().stream().map(Alert::getKind).toList();
    }
}
