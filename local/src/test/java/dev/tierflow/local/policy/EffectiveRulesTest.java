package dev.tierflow.local.policy;

import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.schemas.RoutingRule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectiveRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final RoutingPolicy POLICY = PolicyLoader.load(Path.of("../examples/policy.yaml"));
    private static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));

    private static PolicyRule rule(String scope, String tier, PolicySource source, Instant expiresAt) {
        return override(scope).tier(tier).version(3).source(source, "because").expiresAt(expiresAt).build();
    }

    private static EffectiveRules.ScopeRules scope(List<EffectiveRules.ScopeRules> scopes, String name) {
        return scopes.stream().filter(s -> s.scope().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no scope " + name + " in " + scopes));
    }

    private static EffectiveRules.Row winner(EffectiveRules.ScopeRules scope) {
        List<EffectiveRules.Row> winners = scope.rows().stream().filter(row -> row.status().equals(EffectiveRules.WINS)).toList();
        assertThat(winners).as("exactly one winner in " + scope).hasSize(1);
        return winners.get(0);
    }

    @Test
    void withoutLiveOverridesTheFileRulesWin() {
        List<EffectiveRules.ScopeRules> scopes = EffectiveRules.of(POLICY, PRICES, Map.of(), NOW);

        assertThat(scopes).extracting(EffectiveRules.ScopeRules::scope)
                .containsExactly("role=file-ops", "role=planner", "role=reviewer", "role=worker", "tenant=acme-health", "*");
        EffectiveRules.Row planner = winner(scope(scopes, "role=planner"));
        assertThat(planner.rule()).isEqualTo(RoutingRule.STATIC_RULE);
        assertThat(planner.tier()).isEqualTo("frontier");
        assertThat(planner.source()).isEqualTo("FILE");
        assertThat(winner(scope(scopes, "tenant=acme-health")).rule()).isEqualTo(RoutingRule.PIN);
        // the example's classifier sends any task of 0 input tokens to small before the default is reached
        assertThat(winner(scope(scopes, "*"))).extracting(EffectiveRules.Row::rule, EffectiveRules.Row::tier)
                .containsExactly(RoutingRule.CLASSIFIER, "small");
    }

    @Test
    void aLiveAlertOverrideWinsOverTheFileRuleOfItsScope() {
        PolicyRule promoted = rule("role=worker", "frontier", PolicySource.ALERT, NOW.plus(Duration.ofHours(2)));

        EffectiveRules.ScopeRules worker = scope(EffectiveRules.of(POLICY, PRICES, Map.of("role=worker", promoted), NOW), "role=worker");

        assertThat(worker.rows()).extracting(EffectiveRules.Row::rule, EffectiveRules.Row::source, EffectiveRules.Row::tier, EffectiveRules.Row::status)
                .containsExactly(
                        tuple(RoutingRule.LIVE_OVERRIDE, "ALERT", "frontier", "WINS"),
                        tuple(RoutingRule.STATIC_RULE, "FILE", "mid", ""),
                        tuple(RoutingRule.DEFAULT, "FILE", "mid", ""));
        assertThat(worker.rows().get(0).version()).isEqualTo("v3");
        assertThat(worker.rows().get(0).expires()).isEqualTo("2026-11-23T14:00:00Z");
    }

    @Test
    void aMoreSpecificOverrideHasItsOwnScopeWhereItBeatsTheWiderOne() {
        Map<String, PolicyRule> live = Map.of(
                "role=worker", rule("role=worker", "frontier", PolicySource.ALERT, null),
                "role=worker/type=extract", rule("role=worker/type=extract", "small", PolicySource.OPERATOR, null));

        EffectiveRules.ScopeRules extract = scope(EffectiveRules.of(POLICY, PRICES, live, NOW), "role=worker/type=extract");

        assertThat(winner(extract)).extracting(EffectiveRules.Row::detail, EffectiveRules.Row::tier).containsExactly("role=worker/type=extract", "small");
        assertThat(extract.rows()).extracting(EffectiveRules.Row::rule, EffectiveRules.Row::detail).containsExactly(
                tuple(RoutingRule.LIVE_OVERRIDE, "role=worker"),
                tuple(RoutingRule.LIVE_OVERRIDE, "role=worker/type=extract"),
                tuple(RoutingRule.STATIC_RULE, "role=worker"),
                tuple(RoutingRule.DEFAULT, "defaultTier"));
    }

    @Test
    void aPinBeatsALiveOverrideAndExpiredOrRejectedOverridesNeverWin() {
        Map<String, PolicyRule> live = Map.of(
                "tenant=acme-health", rule("tenant=acme-health", "small", PolicySource.OPERATOR, null),
                "role=planner", rule("role=planner", "small", PolicySource.ALERT, NOW.minusSeconds(1)),
                "role=critic", rule("role=critic", "huge", PolicySource.OPERATOR, null));

        List<EffectiveRules.ScopeRules> scopes = EffectiveRules.of(POLICY, PRICES, live, NOW);

        EffectiveRules.ScopeRules health = scope(scopes, "tenant=acme-health");
        assertThat(winner(health).rule()).isEqualTo(RoutingRule.PIN);
        assertThat(health.rows()).anySatisfy(row -> assertThat(row.source()).isEqualTo("OPERATOR"));
        EffectiveRules.ScopeRules planner = scope(scopes, "role=planner");
        assertThat(winner(planner).rule()).isEqualTo(RoutingRule.STATIC_RULE);
        assertThat(planner.rows()).anySatisfy(row -> assertThat(row.status()).isEqualTo("expired"));
        EffectiveRules.ScopeRules critic = scope(scopes, "role=critic");
        assertThat(critic.rows()).anySatisfy(row -> assertThat(row.status()).startsWith("rejected: unknown tier 'huge'"));
        assertThat(winner(critic).rule()).isNotEqualTo(RoutingRule.LIVE_OVERRIDE);
    }
}
