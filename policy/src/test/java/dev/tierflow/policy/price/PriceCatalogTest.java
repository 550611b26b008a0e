package dev.tierflow.policy.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    private static final Path EXAMPLE = Path.of("../examples/prices.yaml");

    private static final PriceCatalog CATALOG = PriceCatalog.parse("""
            version: "v7"
            models:
              haiku: {input: 1.00, output: 5.00, cachedInput: 0.10}
              sonnet: {input: 3.00, output: 15.00, cachedInput: 0.30}
              local: {input: 0.25, output: 1.25}
            """, "inline");

    @Test
    void theExampleCatalogLoads() {
        PriceCatalog catalog = PriceCatalog.load(EXAMPLE);

        assertThat(catalog.version()).isEqualTo("2026-11-01");
        assertThat(catalog.models()).containsExactlyInAnyOrder(
                "claude-haiku-4-5", "claude-sonnet-4-5", "claude-sonnet-4-5-eu", "claude-opus-4-6");
        assertThat(catalog.price("claude-opus-4-6"))
                .isEqualTo(new ModelPrice(new BigDecimal("15.00"), new BigDecimal("75.00"), new BigDecimal("1.50")));
    }

    @Test
    void theExampleCatalogPricesEveryModelOfTheExamplePolicy() throws IOException {
        JsonNode policy = new YAMLMapper().readTree(Path.of("../examples/policy.yaml").toFile());
        Set<String> models = new TreeSet<>(policy.findValuesAsText("model"));

        assertThat(models).as("models named by the example policy").contains("claude-haiku-4-5", "claude-sonnet-4-5-eu");
        assertThatNoException().isThrownBy(() -> PriceCatalog.load(EXAMPLE).requireModels(models));
    }

    @Test
    void cachedInputDefaultsToTheInputPrice() {
        assertThat(CATALOG.price("local").cachedInput()).isEqualByComparingTo("0.25");
        assertThat(CATALOG.costMicros("local", 1000, 0, 1000)).isEqualTo(CATALOG.costMicros("local", 1000, 0, 0)).isEqualTo(250);
    }

    @Test
    void knowsOnlyTheModelsItPricesByExactName() {
        assertThat(CATALOG.knows("sonnet")).isTrue();
        assertThat(CATALOG.knows("Sonnet")).isFalse();
        assertThat(CATALOG.knows("opus")).isFalse();
        assertThat(CATALOG.knows(null)).isFalse();
    }

    @Test
    void costOfAnUnknownModelIsAnErrorNamingTheModelAndTheCatalog() {
        assertThatThrownBy(() -> CATALOG.costMicros("opus", 10, 10, 0))
                .isInstanceOf(UnknownModelException.class)
                .hasMessage("no price for model 'opus' in price catalog inline (version v7)")
                .satisfies(e -> assertThat(((UnknownModelException) e).models()).containsExactly("opus"));
    }

    @Test
    void requireModelsListsEveryModelWithoutAPriceOnce() {
        assertThatThrownBy(() -> CATALOG.requireModels(List.of("haiku", "opus", "sonnet", "gpt-x", "opus")))
                .isInstanceOf(UnknownModelException.class)
                .hasMessage("price catalog inline (version v7) has no price for opus, gpt-x, used by the policy; "
                        + "add them to the catalog (it prices haiku, local, sonnet)")
                .satisfies(e -> assertThat(((UnknownModelException) e).models()).containsExactly("opus", "gpt-x"));
    }

    @Test
    void aMissingModelNameIsAnUnknownModel() {
        assertThatThrownBy(() -> CATALOG.requireModels(Arrays.asList("haiku", null)))
                .isInstanceOf(UnknownModelException.class)
                .satisfies(e -> assertThat(((UnknownModelException) e).models()).containsExactly("null"));
    }

    @Test
    void requireModelsAcceptsModelsThatAllHaveAPrice() {
        assertThatNoException().isThrownBy(() -> CATALOG.requireModels(List.of("haiku", "local", "haiku")));
        assertThatNoException().isThrownBy(() -> CATALOG.requireModels(List.of()));
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> PriceCatalog.load(Path.of("no-such-prices.yaml")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot read price catalog no-such-prices.yaml");
    }
}
