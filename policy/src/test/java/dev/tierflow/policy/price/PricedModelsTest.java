package dev.tierflow.policy.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import org.junit.jupiter.api.Test;

class PricedModelsTest {

    static final RoutingPolicy POLICY = PolicyLoader.parse("""
            version: "v1"
            tiers:
              - {name: small, model: s, provider: p}
              - {name: mid, model: m, provider: p, backend: {type: simulator, fallbackModel: m-fallback}}
            defaultTier: small
            pins:
              - {name: eu, match: {tenant: acme-eu}, tier: mid, model: m-eu}
            """, "inline");

    static final PriceCatalog PRICES = PriceCatalog.parse("""
            version: "p1"
            models:
              s: {input: 1.00, output: 2.00}
              m: {input: 3.00, output: 6.00}
              m-fallback: {input: 2.00, output: 4.00}
              m-eu: {input: 3.50, output: 7.00}
              other: {input: 1.00, output: 1.00}
            """, "inline");

    @Test
    void aTiersWorkersCallItsModelItsPinsModelsAndItsFallback() {
        assertThat(PricedModels.usedBy(POLICY, POLICY.tier("mid"))).containsExactly("m", "m-fallback", "m-eu");
        assertThat(PricedModels.usedBy(POLICY, POLICY.tier("small"))).containsExactly("s");
    }

    @Test
    void aRouteWithAModelCallsThatModelThenTheTiersFallback() {
        assertThat(PricedModels.calledFor(POLICY.tier("mid"), "other")).containsExactly("other", "m-fallback");
        assertThat(PricedModels.calledFor(POLICY.tier("small"), "other")).containsExactly("other");
    }

    @Test
    void aRouteToAModelWithoutAPriceIsRefusedNamingIt() {
        assertThatNoException().isThrownBy(() -> PricedModels.requireForRoute(PRICES, POLICY.tier("mid"), "other"));
        assertThatNoException().isThrownBy(() -> PricedModels.requireForRoute(PRICES, POLICY.tier("mid"), null));
        assertThatThrownBy(() -> PricedModels.requireForRoute(PRICES, POLICY.tier("mid"), "unpriced"))
                .isInstanceOf(UnknownModelException.class)
                .satisfies(e -> assertThat(((UnknownModelException) e).models()).containsExactly("unpriced"));
    }

    @Test
    void aWorkerRefusesATierWithAnUnpricedModel() {
        PriceCatalog withoutFallback = PriceCatalog.parse("""
                version: "p2"
                models:
                  m: {input: 3.00, output: 6.00}
                  m-eu: {input: 3.50, output: 7.00}
                """, "inline");
        assertThatThrownBy(() -> PricedModels.requireForTier(withoutFallback, POLICY, POLICY.tier("mid")))
                .isInstanceOf(UnknownModelException.class)
                .satisfies(e -> assertThat(((UnknownModelException) e).models()).containsExactly("m-fallback"));
    }
}
