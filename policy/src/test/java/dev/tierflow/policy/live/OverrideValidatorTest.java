package dev.tierflow.policy.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OverrideValidatorTest {

    private static final RoutingPolicy POLICY = PolicyLoader.parse("""
            version: "v1"
            tiers:
              - {name: small, model: s, provider: p}
              - {name: mid, model: m, provider: p, backend: {type: simulator, fallbackModel: m-fallback}}
              - {name: top, model: t, provider: p}
            defaultTier: small
            """, "inline");

    private static final PriceCatalog PRICES = PriceCatalog.parse("""
            version: "p1"
            models:
              s: {input: 1.00, output: 2.00}
              m: {input: 3.00, output: 6.00}
              m-fallback: {input: 2.00, output: 4.00}
              m-large: {input: 4.00, output: 8.00}
            """, "inline");

    private final OverrideValidator validator = new OverrideValidator(POLICY, PRICES);

    private static PolicyRule.Builder rule(String scope) {
        return PolicyRule.newBuilder().setScope(scope).setSource(PolicySource.OPERATOR).setReason("test").setVersion(3)
                .setUpdatedAt(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aValidRuleBecomesTheOverrideOfItsCanonicalScope() {
        LiveOverride override = validator.validate("role=worker/type=extract",
                rule("role=worker/type=extract").setTier("mid").setModel("m-large").setMaxOutputTokens(300).build());

        assertThat(override.scope()).isEqualTo(new Scope(null, "worker", "extract"));
        assertThat(override.tier().name()).isEqualTo("mid");
        assertThat(override.model()).isEqualTo("m-large");
        assertThat(override.maxOutputTokens()).isEqualTo(300);
        assertThat(override.version()).isEqualTo(3);
    }

    @Test
    void anOverrideNamingAModelWithoutAPriceIsRejected() {
        assertThatThrownBy(() -> validator.validate("role=worker", rule("role=worker").setTier("mid").setModel("m-unpriced").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not be priced").hasMessageContaining("m-unpriced");
    }

    @Test
    void anOverrideMovingAScopeToATierWhoseModelHasNoPriceIsRejected() {
        assertThatThrownBy(() -> validator.validate("role=worker", rule("role=worker").setTier("top").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no price for t");
    }

    @Test
    void aBudgetOnlyOverrideNeedsNoPrice() {
        assertThat(validator.validate("role=worker", rule("role=worker").setMaxOutputTokens(10).build()).tier()).isNull();
    }

    @Test
    void aKeyOrScopeWithANameThatWouldReadAsAnotherScopeIsRejected() {
        assertThatThrownBy(() -> validator.validate("role=a*", rule("role=a*").setTier("mid").build()))
                .hasMessage("scope role 'a*' must not contain '*' (it would read as another scope), at index 1");
        assertThatThrownBy(() -> validator.validate("tenant=acme", rule("tenant=acme=x").setTier("mid").build()))
                .hasMessage("scope tenant 'acme=x' must not contain '=' (it would read as another scope), at index 4");
    }

    @Test
    void aKeyNotInItsScopesOwnFormIsRejectedSoATombstoneForTheScopeCannotMissIt() {
        // each of these parses to role=worker (or role=worker/type=extract), but is another key in the compacted topic
        for (String key : new String[] {"type=extract/role=worker", "role=worker\u0000", " role=worker", "role= worker"}) {
            assertThatThrownBy(() -> validator.validate(key, rule(key).setTier("mid").build()))
                    .as("key %s", key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> validator.validate("type=extract/role=worker", rule("role=worker/type=extract").setTier("mid").build()))
                .hasMessageContaining("is not its scope's own form 'role=worker/type=extract'");
    }

    @Test
    void keyAndScopeMustAgree() {
        assertThatThrownBy(() -> validator.validate("role=planner", rule("role=worker").setTier("mid").build()))
                .hasMessage("record key 'role=planner' and rule scope 'role=worker' differ");
    }

    @Test
    void unknownTierModelWithoutTierAndNoChangeAreRejected() {
        assertThatThrownBy(() -> validator.validate("role=w", rule("role=w").setTier("huge").build()))
                .hasMessage("unknown tier 'huge' (tiers are small, mid, top)");
        assertThatThrownBy(() -> validator.validate("role=w", rule("role=w").setModel("m").build()))
                .hasMessage("a model override needs a tier");
        assertThatThrownBy(() -> validator.validate("role=w", rule("role=w").setMaxOutputTokens(0).build()))
                .hasMessage("maxOutputTokens must be positive, was 0");
        assertThatThrownBy(() -> validator.validate("role=w", rule("role=w").build()))
                .hasMessage("changes nothing: set tier, maxOutputTokens or both");
    }
}
