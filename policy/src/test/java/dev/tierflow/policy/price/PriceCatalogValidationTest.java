package dev.tierflow.policy.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PriceCatalogValidationTest {

    @Test
    void everySemanticProblemIsNamedAtOnce() {
        String yaml = """
                currency: EUR
                models:
                  no-output: {input: 1.00}
                  no-input: {output: 2.00, cachedInput: 0.10}
                  negative: {input: -1.00, output: -0.5, cachedInput: -0.01}
                  empty:
                  fine: {input: 1, output: 2}
                """;
        assertThatThrownBy(() -> PriceCatalog.parse(yaml, "bad.yaml"))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageStartingWith("invalid price catalog bad.yaml:\n  - version: is required")
                .satisfies(e -> assertThat(((InvalidPriceCatalogException) e).problems()).containsExactly(
                        "version: is required (a string that changes with every edit, e.g. '2026-11-01')",
                        "currency: must be USD (costs are recorded in micro-dollars), was 'EUR'",
                        "models.no-output.output: is required (USD per million tokens)",
                        "models.no-input.input: is required (USD per million tokens)",
                        "models.negative.input: must not be negative, was -1.00",
                        "models.negative.output: must not be negative, was -0.5",
                        "models.negative.cachedInput: must not be negative, was -0.01",
                        "models.empty: needs input and output prices (USD per million tokens)"));
    }

    @Test
    void aCatalogWithoutModelsIsRefused() {
        assertProblems("version: v1\n", "models: at least one model is required");
        assertProblems("version: v1\nmodels: {}\n", "models: at least one model is required");
    }

    @Test
    void anUnknownFieldIsNamedWithItsPathAndTheKnownFields() {
        assertProblems("""
                version: v1
                models:
                  haiku: {input: 1, output: 5, cached_input: 0.1}
                """, "models.haiku.cached_input: unknown field (known fields here: cachedInput, input, output)");
        assertProblems("""
                version: v1
                vat: 0.2
                models: {haiku: {input: 1, output: 5}}
                """, "vat: unknown field (known fields here: currency, models, version)");
    }

    @Test
    void aPriceThatIsNotANumberIsNamed() {
        assertProblems("""
                version: v1
                models:
                  haiku: {input: cheap, output: 5}
                """, "models.haiku.input: must be a price in USD per million tokens, was 'cheap'");
    }

    @Test
    void aModelGivenAsASingleNumberIsRefused() {
        assertProblems("""
                version: v1
                models:
                  haiku: 1.00
                """, "models.haiku: must be a mapping of prices, e.g. {input: 3.00, output: 15.00, cachedInput: 0.30}");
    }

    @Test
    void aModelListedTwiceIsRefused() {
        assertProblems("""
                version: v1
                models:
                  haiku: {input: 1, output: 5}
                  haiku: {input: 2, output: 5}
                """, "models.haiku: is listed twice");
        assertProblems("""
                version: v1
                version: v2
                models: {haiku: {input: 1, output: 5}}
                """, "version: is listed twice");
    }

    @Test
    void aFileThatIsNotAMappingIsRefused() {
        assertProblems("- haiku\n- sonnet\n", "(file): must be a mapping with version, currency and models");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n", "# only a comment\n"})
    void anEmptyFileIsRefused(String yaml) {
        assertProblems(yaml, "(file): is empty");
    }

    @Test
    void yamlThatDoesNotParseIsRefusedWithWhereAndWhy() {
        assertProblems("version: v1\nmodels: {haiku: {input: 1, output: 5\n",
                "(file): not valid YAML at line 2, column 37: while parsing a flow mapping; expected ',' or '}', but got <stream end>");
        assertProblems("version: v1: v2\n", "(file): not valid YAML at line 1, column 12: mapping values are not allowed here");
    }

    @Test
    void zeroPricesAndAnExplicitUsdCurrencyAreAccepted() {
        PriceCatalog catalog = PriceCatalog.parse("""
                version: v1
                currency: USD
                models:
                  self-hosted: {input: 0, output: 0}
                """, "free.yaml");

        assertThat(catalog.costMicros("self-hosted", 1_000_000, 1_000_000, 500_000)).isZero();
    }

    private static void assertProblems(String yaml, String... problems) {
        assertThatThrownBy(() -> PriceCatalog.parse(yaml, "test.yaml"))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .satisfies(e -> assertThat(((InvalidPriceCatalogException) e).problems()).containsExactly(problems));
    }
}
