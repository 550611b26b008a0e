package dev.tierflow.worker.runtime;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.testing.TestInstants;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The worker executes only decisions its tier may make under the policy. */
class DecisionCheckTest {

    private static final RoutingPolicy POLICY = PolicyLoader.parse("""
            version: "t-1"
            tiers:
              - {name: small, model: claude-haiku-4-5, provider: anthropic,
                 backend: {type: anthropic, apiKeyEnv: KEY, fallbackModel: claude-sonnet-4-5}}
              - {name: mid, model: claude-sonnet-4-5, provider: anthropic}
              - {name: frontier, model: claude-opus-4-6, provider: anthropic}
            defaultTier: mid
            pins:
              - {name: eu, match: {tenant: acme}, tier: small, model: claude-sonnet-4-5-eu, provider: anthropic-eu}
            """, "test policy");
    private static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));
    private static final DecisionCheck SMALL = DecisionCheck.against(POLICY, "small", PRICES);

    private static RoutedTask decision(String tier, String model, String provider, int maxOutputTokens, RoutingRule rule) {
        return new RoutedTask(task("t-1").build(), tier, model, provider, maxOutputTokens, "t-1", null, rule, "detail",
                TestInstants.BEGINNING);
    }

    private static String problem(String tier, String model, String provider, int maxOutputTokens, RoutingRule rule) {
        return SMALL.problem(decision(tier, model, provider, maxOutputTokens, rule));
    }

    @Test
    void theTiersModelItsFallbackAndItsPinsModelsAreAllowedWithTheirProviders() {
        assertThat(problem("small", "claude-haiku-4-5", "anthropic", 512, RoutingRule.STATIC_RULE)).isNull();
        assertThat(problem("small", "claude-sonnet-4-5", "anthropic", 512, RoutingRule.STATIC_RULE)).isNull();
        assertThat(problem("small", "claude-sonnet-4-5-eu", "anthropic-eu", 512, RoutingRule.PIN)).isNull();
    }

    @Test
    void aModelOfAnotherTierIsRefusedUnlessALiveOverrideNamesAPricedOne() {
        assertThat(problem("small", "claude-opus-4-6", "anthropic", 512, RoutingRule.STATIC_RULE))
                .isEqualTo("model 'claude-opus-4-6' is not tier small's (claude-haiku-4-5), its fallback or a pin's");
        assertThat(problem("small", "claude-opus-4-6", "anthropic", 512, RoutingRule.LIVE_OVERRIDE)).isNull();
        assertThat(problem("small", "gpt-unpriced", "anthropic", 512, RoutingRule.LIVE_OVERRIDE))
                .isEqualTo("model 'gpt-unpriced' is not tier small's (claude-haiku-4-5), its fallback or a pin's, nor a priced model");
    }

    @Test
    void aProviderThatDoesNotServeTheModelIsRefused() {
        assertThat(problem("small", "claude-haiku-4-5", "openai", 512, RoutingRule.STATIC_RULE))
                .isEqualTo("provider 'openai' is not tier small's ('anthropic') for model claude-haiku-4-5");
        assertThat(problem("small", "claude-sonnet-4-5-eu", "anthropic", 512, RoutingRule.PIN))
                .isEqualTo("provider 'anthropic' is not pin eu's ('anthropic-eu') for model claude-sonnet-4-5-eu");
    }

    @Test
    void anotherTierAnUnknownTierAndMissingFieldsAreRefused() {
        assertThat(problem("mid", "claude-sonnet-4-5", "anthropic", 512, RoutingRule.STATIC_RULE))
                .isEqualTo("tier 'mid' is not this worker's tier (small)");
        assertThat(DecisionCheck.against(POLICY, "gone", PRICES).problem(decision("gone", "m", "p", 1, RoutingRule.DEFAULT)))
                .isEqualTo("tier 'gone' is not in the policy");
        assertThat(problem("", "claude-haiku-4-5", "anthropic", 512, RoutingRule.STATIC_RULE)).isEqualTo("tier is missing");
        assertThat(problem("small", " ", "anthropic", 512, RoutingRule.STATIC_RULE)).isEqualTo("model is missing");
        assertThat(problem("small", "claude-haiku-4-5", "", 512, RoutingRule.STATIC_RULE)).isEqualTo("provider is missing");
        assertThat(problem("small", "claude-haiku-4-5", "anthropic", 0, RoutingRule.STATIC_RULE))
                .isEqualTo("maxOutputTokens must be positive, was 0");
        assertThat(problem("small", "claude-haiku-4-5", "anthropic", -5, RoutingRule.STATIC_RULE))
                .isEqualTo("maxOutputTokens must be positive, was -5");
    }
}
