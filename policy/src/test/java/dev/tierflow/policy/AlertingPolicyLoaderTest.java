package dev.tierflow.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.policy.alerting.AlertingPolicy;
import dev.tierflow.policy.alerting.CostCeiling;
import dev.tierflow.policy.alerting.DeadLetterRule;
import dev.tierflow.policy.alerting.QualityFloor;
import dev.tierflow.policy.alerting.ScopePattern;
import dev.tierflow.policy.alerting.StuckTasksRule;
import dev.tierflow.policy.alerting.TenantBudget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertingPolicyLoaderTest {

    private static final String TIERS = PolicyLoaderTest.TIERS;

    private static final String ARMED = TIERS + """
            alerting:
              qualityFloors: [{scope: role=worker, floor: 0.7, minSamples: 20}]
              costCeilings: [{scope: role=worker, usdPerHour: 1}]
            """;

    @Test
    void theExamplePolicyArmsTheAlertingJob() {
        AlertingPolicy alerting = PolicyLoader.load(Path.of("../examples/policy.yaml")).alerting();

        assertThat(alerting.isArmed()).isTrue();
        assertThat(alerting.qualityFloors()).extracting(floor -> floor.scope().toString())
                .containsExactly("role=worker", "role=worker/type=*/tier=small", "role=critic", "role=planner");
        assertThat(alerting.qualityFloors().get(0)).isEqualTo(new QualityFloor(ScopePattern.parse("role=worker"), 0.70, 20));
        assertThat(alerting.costCeilings()).containsExactly(
                new CostCeiling(ScopePattern.parse("role=planner"), 2_500_000),
                new CostCeiling(ScopePattern.parse("role=*"), 5_000_000),
                new CostCeiling(ScopePattern.parse("tenant=acme"), 3_000_000));
        assertThat(alerting.budgetFor("acme")).isEqualTo(new TenantBudget("acme", 50_000_000L, 1_000_000_000L, List.of(0.8, 1.0)));
        assertThat(alerting.budgetFor("globex")).isNull();
        assertThat(alerting.stuckTasks()).isEqualTo(new StuckTasksRule(5));
        assertThat(alerting.deadLetters()).isEqualTo(new DeadLetterRule(10));
        assertThat(alerting.hysteresis()).isEqualTo(0.05);
        assertThat(alerting.headroom()).isEqualTo(0.05);
        assertThat(alerting.cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(alerting.probation()).isEqualTo(Duration.ofMinutes(10));
        assertThat(alerting.maxChangesPerHour()).isEqualTo(4);
        assertThat(alerting.overrideTtl()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void theMostSpecificRuleOfAScopeComesFirst() {
        AlertingPolicy alerting = PolicyLoader.load(Path.of("../examples/policy.yaml")).alerting();

        assertThat(alerting.floorFor("role=worker").floor()).isEqualTo(0.70);
        assertThat(alerting.floorFor("role=worker/type=extract/tier=small").floor()).isEqualTo(0.80);
        assertThat(alerting.floorFor("role=worker/type=extract/tier=mid")).as("no floor written for that shape and tier").isNull();
        assertThat(alerting.floorsFor("role=worker/type=extract")).isEmpty();
        assertThat(alerting.ceilingsFor("role=planner")).extracting(CostCeiling::microsPerHour).containsExactly(2_500_000L, 5_000_000L);
        assertThat(alerting.ceilingFor("role=planner").microsPerHour()).isEqualTo(2_500_000L);
        assertThat(alerting.ceilingFor("role=worker").scope()).hasToString("role=*");
        assertThat(alerting.ceilingFor("tenant=acme").microsPerHour()).isEqualTo(3_000_000L);
        assertThat(alerting.ceilingFor("tenant=globex")).isNull();
    }

    @Test
    void withoutTheSectionAlertingIsEmptyAndNotArmed() {
        RoutingPolicy policy = PolicyLoader.parse(TIERS, "inline");

        assertThat(policy.alerting()).isEqualTo(AlertingPolicy.empty());
        assertThat(policy.alerting().isArmed()).isFalse();
        assertThat(policy.alerting().floorFor("role=worker")).isNull();
        assertThatThrownBy(() -> policy.alerting().requireArmed("inline"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageStartingWith("invalid policy inline:")
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).containsExactly(
                        "alerting.qualityFloors: at least one quality floor is required: the alerting job keeps both a cost ceiling and a quality floor armed at all times",
                        "alerting.costCeilings: at least one cost ceiling is required: the alerting job keeps both a cost ceiling and a quality floor armed at all times"));
    }

    @Test
    void defaultsApplyWhereTheSectionIsSilent() {
        AlertingPolicy alerting = PolicyLoader.parse(ARMED + "  tenantBudgets: [{tenant: acme, monthlyUsd: 10}]\n", "inline").alerting();

        assertThat(alerting.hysteresis()).isEqualTo(0.05);
        assertThat(alerting.headroom()).isEqualTo(0.05);
        assertThat(alerting.cooldown()).isEqualTo(Duration.parse("PT10M"));
        assertThat(alerting.probation()).isEqualTo(Duration.parse("PT10M"));
        assertThat(alerting.maxChangesPerHour()).isEqualTo(4);
        assertThat(alerting.overrideTtl()).isNull();
        assertThat(alerting.stuckTasks()).isNull();
        assertThat(alerting.deadLetters()).isNull();
        assertThat(alerting.budgetFor("acme")).isEqualTo(new TenantBudget("acme", null, 10_000_000L, List.of(0.8, 1.0)));
        assertThatNoException().isThrownBy(() -> alerting.requireArmed("inline"));
    }

    @Test
    void onlyAFloorIsNotArmed() {
        AlertingPolicy alerting = PolicyLoader.parse(TIERS + "alerting: {qualityFloors: [{scope: role=*, floor: 0.5, minSamples: 1}]}\n", "inline").alerting();

        assertThat(alerting.isArmed()).isFalse();
        assertThatThrownBy(() -> alerting.requireArmed("p.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).singleElement().asString()
                        .startsWith("alerting.costCeilings: at least one cost ceiling is required"));
    }

    @Test
    void dollarsBecomeMicrosExactly() {
        String yaml = TIERS + """
                alerting:
                  costCeilings:
                    - {scope: role=a, usdPerHour: 2.50}
                    - {scope: role=b, usdPerHour: 0.000001}
                    - {scope: role=c, usdPerHour: 0.1}
                    - {scope: role=d, usdPerHour: 1234567.891234}
                  tenantBudgets: [{tenant: t, dailyUsd: 0.29, warnAt: [1.0, 0.5]}]
                """;
        AlertingPolicy alerting = PolicyLoader.parse(yaml, "inline").alerting();

        assertThat(alerting.costCeilings()).extracting(CostCeiling::microsPerHour)
                .containsExactly(2_500_000L, 1L, 100_000L, 1_234_567_891_234L);
        assertThat(alerting.budgetFor("t")).as("warnAt sorted").isEqualTo(new TenantBudget("t", 290_000L, null, List.of(0.5, 1.0)));
    }

    @Test
    void everyProblemOfTheSectionIsNamed() {
        String yaml = TIERS + """
                alerting:
                  qualityFloors:
                    - {scope: role=worker, floor: 1.5, minSamples: 0}
                    - {scope: tenant=acme, floor: 0.5, minSamples: 5}
                    - {scope: role=worker/type=*/tier=huge, floor: 0.5, minSamples: 5}
                    - {scope: "role=worker", floor: -0.1, minSamples: 5}
                    - {scope: team=a}
                  costCeilings:
                    - {scope: role=a/type=b/tier=small, usdPerHour: 1}
                    - {scope: role=a, usdPerHour: 0}
                    - {scope: tenant=*, usdPerHour: 0.0000001}
                    - {usdPerHour: -2}
                  tenantBudgets:
                    - {tenant: acme, dailyUsd: 0, warnAt: [0, 1.5, 0.8, 0.8]}
                    - {tenant: acme, monthlyUsd: 5}
                    - {tenant: " "}
                    - {tenant: "*", dailyUsd: 1, warnAt: []}
                  stuckTasks: {maxPerWindow: -1}
                  deadLetters: {}
                  hysteresis: 0.5
                  headroom: 1.0
                  cooldown: soon
                  probation: PT0S
                  maxChangesPerHour: 0
                  overrideTtl: -PT1H
                """;
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "bad.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageStartingWith("invalid policy bad.yaml:")
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).containsExactlyInAnyOrder(
                        "alerting.hysteresis: must be within [0, 0.5), a fraction of the threshold, was 0.5",
                        "alerting.headroom: must be within [0, 1), added to a quality floor, was 1.0",
                        "alerting.maxChangesPerHour: must be at least 1, was 0",
                        "alerting.stuckTasks.maxPerWindow: must not be negative, was -1",
                        "alerting.deadLetters.maxPerMinute: is required: the most dead letters allowed before it alerts",
                        "alerting.qualityFloors[0].floor: must be within [0, 1], was 1.5",
                        "alerting.qualityFloors[0].minSamples: must be at least 1, was 0",
                        "alerting.qualityFloors[1].scope: must be one of role=R, role=R/type=T, role=R/type=T/tier=X here, was 'tenant=acme'",
                        "alerting.qualityFloors[2].scope: unknown tier 'huge' (tiers are small, mid)",
                        "alerting.qualityFloors[3].scope: duplicate scope 'role=worker' (also alerting.qualityFloors[0])",
                        "alerting.qualityFloors[3].floor: must be within [0, 1], was -0.1",
                        "alerting.qualityFloors[4].scope: unknown key 'team' in 'team=a' (keys are role, type, tier, tenant)",
                        "alerting.qualityFloors[4].floor: is required: the lowest acceptable quality mean, within [0, 1]",
                        "alerting.qualityFloors[4].minSamples: is required: the fewest graded attempts a window needs to be judged",
                        "alerting.costCeilings[0].scope: must be one of role=R, role=R/type=T, tenant=N here, was 'role=a/type=b/tier=small'",
                        "alerting.costCeilings[1].usdPerHour: must be more than 0 USD, was 0",
                        "alerting.costCeilings[2].usdPerHour: must be a whole number of micro-USD (at most 6 decimal places), was 0.0000001",
                        "alerting.costCeilings[3].scope: is required, e.g. role=worker or role=worker/type=*",
                        "alerting.costCeilings[3].usdPerHour: must be more than 0 USD, was -2",
                        "alerting.tenantBudgets[0].dailyUsd: must be more than 0 USD, was 0",
                        "alerting.tenantBudgets[0].warnAt[0]: must be within (0, 1], a fraction of the budget, was 0.0",
                        "alerting.tenantBudgets[0].warnAt[1]: must be within (0, 1], a fraction of the budget, was 1.5",
                        "alerting.tenantBudgets[0].warnAt[3]: duplicate fraction 0.8",
                        "alerting.tenantBudgets[1].tenant: duplicate budget for tenant 'acme' (also alerting.tenantBudgets[0])",
                        "alerting.tenantBudgets[2].tenant: is required",
                        "alerting.tenantBudgets[2]: needs dailyUsd, monthlyUsd or both",
                        "alerting.tenantBudgets[3].tenant: must name one tenant: a budget is one tenant's money, * is not allowed here",
                        "alerting.tenantBudgets[3].warnAt: must list at least one fraction (leave it out for the default [0.8, 1.0])",
                        "alerting.cooldown: must be an ISO-8601 duration such as PT60S, was 'soon'",
                        "alerting.probation: must be positive, was PT0S",
                        "alerting.overrideTtl: must be positive, was -PT1H"));
    }

    @Test
    void unknownFieldsOfTheSectionAreRefused() {
        assertThatThrownBy(() -> PolicyLoader.parse(ARMED + "  coolDown: PT5M\n", "inline"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).singleElement().asString()
                        .startsWith("alerting.coolDown: unknown field (known fields here: cooldown, costCeilings, deadLetters,"));
        assertThatThrownBy(() -> PolicyLoader.parse(ARMED.replace("usdPerHour: 1", "usdPerHour: lots"), "inline"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).singleElement().asString()
                        .startsWith("alerting.costCeilings[0].usdPerHour: must be a number"));
    }

    @Test
    void survivesJavaSerializationForTheFlinkTasks() throws Exception {
        AlertingPolicy alerting = PolicyLoader.load(Path.of("../examples/policy.yaml")).alerting();

        AlertingPolicy copy = roundTrip(alerting);

        assertThat(copy).isEqualTo(alerting).isNotSameAs(alerting);
        assertThat(copy.floorFor("role=worker/type=extract/tier=small").floor()).isEqualTo(0.80);
        assertThat(roundTrip(AlertingPolicy.empty())).isEqualTo(AlertingPolicy.empty());
    }

    private static AlertingPolicy roundTrip(AlertingPolicy policy) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(policy);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (AlertingPolicy) in.readObject();
        }
    }
}
