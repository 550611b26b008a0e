package dev.tierflow.policy.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Costs worked out by hand: USD per million tokens is micro-dollars per token. */
class CostArithmeticTest {

    private static final PriceCatalog EXAMPLE = PriceCatalog.parse("""
            version: v1
            models:
              haiku: {input: 1.00, output: 5.00, cachedInput: 0.10}
              sonnet: {input: 3.00, output: 15.00, cachedInput: 0.30}
              opus: {input: 15.00, output: 75.00, cachedInput: 1.50}
            """, "inline");

    @Test
    void inputAndOutputTokensAreBilledAtTheirPrices() {
        // 1,234 × 3 + 567 × 15 = 3,702 + 8,505
        assertThat(EXAMPLE.costMicros("sonnet", 1_234, 567, 0)).isEqualTo(12_207);
        // a million of each on opus: $15 + $75
        assertThat(EXAMPLE.costMicros("opus", 1_000_000, 1_000_000, 0)).isEqualTo(90_000_000);
        assertThat(EXAMPLE.costMicros("haiku", 0, 0, 0)).isZero();
    }

    @Test
    void cachedTokensArePartOfTheInputAndBilledAtTheCachedPrice() {
        // 1,000 input of which 800 from cache: 200 × 1 + 800 × 0.10 + 100 × 5 = 200 + 80 + 500
        assertThat(EXAMPLE.costMicros("haiku", 1_000, 100, 800)).isEqualTo(780);
        // all input from cache: 10,000 × 0.30
        assertThat(EXAMPLE.costMicros("sonnet", 10_000, 0, 10_000)).isEqualTo(3_000);
    }

    @ParameterizedTest(name = "{0} input tokens at 0.50 = {1} µ$")
    @CsvSource({
            "1, 0",   // 0.5 -> 0: the even neighbour is below
            "3, 2",   // 1.5 -> 2: the even neighbour is above
            "5, 2",   // 2.5 -> 2
            "7, 4",   // 3.5 -> 4
    })
    void anExactHalfRoundsToTheEvenNeighbour(long tokens, long expectedMicros) {
        ModelPrice halfMicro = new ModelPrice(new BigDecimal("0.50"), BigDecimal.ZERO, BigDecimal.ZERO);

        assertThat(halfMicro.costMicros(tokens, 0, 0)).isEqualTo(expectedMicros);
    }

    @Test
    void anythingButAnExactHalfRoundsToTheNearest() {
        ModelPrice quarter = new ModelPrice(new BigDecimal("0.25"), new BigDecimal("0.26"), new BigDecimal("0.24"));

        assertThat(quarter.costMicros(1, 0, 0)).as("0.25").isZero();
        assertThat(quarter.costMicros(3, 0, 0)).as("0.75").isEqualTo(1);
        assertThat(quarter.costMicros(0, 2, 0)).as("0.52").isEqualTo(1);
        assertThat(quarter.costMicros(2, 0, 2)).as("0.48").isZero();
    }

    @Test
    void roundingHappensOnceOnTheWholeSumNotPerPart() {
        // 0.5 + 0.5 = 1; rounding each half-even first would give 0 + 0
        ModelPrice halves = new ModelPrice(new BigDecimal("0.5"), new BigDecimal("0.5"), new BigDecimal("0.5"));
        assertThat(halves.costMicros(1, 1, 0)).isEqualTo(1);
        // 5 cached tokens at 0.10 = 0.5 and 1 output token at 5 = 5: 5.5 -> 6; per part it would be 0 + 5
        assertThat(EXAMPLE.costMicros("haiku", 5, 1, 5)).isEqualTo(6);
    }

    @Test
    void pricesAreExactDecimalsNotBinaryFractions() {
        // 0.1 has no exact double; 3 × 0.1 summed as doubles is 0.30000000000000004
        ModelPrice tenth = new ModelPrice(new BigDecimal("0.1"), new BigDecimal("0.1"), new BigDecimal("0.1"));
        assertThat(tenth.costMicros(5, 0, 0)).as("0.5 exactly, half-even to 0").isZero();
        assertThat(tenth.costMicros(15, 0, 0)).as("1.5 exactly, half-even to 2").isEqualTo(2);
    }

    @Test
    void negativeCountsAreRefused() {
        assertThatThrownBy(() -> EXAMPLE.costMicros("haiku", -1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("inputTokens must not be negative, was -1");
        assertThatThrownBy(() -> EXAMPLE.costMicros("haiku", 0, -2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("outputTokens must not be negative, was -2");
        assertThatThrownBy(() -> EXAMPLE.costMicros("haiku", 0, 0, -3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cachedInputTokens must not be negative, was -3");
    }

    @Test
    void moreCachedTokensThanInputTokensIsRefused() {
        assertThatThrownBy(() -> EXAMPLE.costMicros("haiku", 800, 0, 900))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cachedInputTokens are part of inputTokens and cannot exceed them, were 900 cached of 800 input");
    }

    @Test
    void aCostBeyondALongIsRefusedRatherThanWrapped() {
        ModelPrice absurd = new ModelPrice(new BigDecimal("1000000"), BigDecimal.ZERO, BigDecimal.ZERO);

        assertThatThrownBy(() -> absurd.costMicros(Long.MAX_VALUE / 2, 0, 0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aNegativePriceCannotBeConstructed() {
        assertThatThrownBy(() -> new ModelPrice(BigDecimal.ONE, new BigDecimal("-0.01"), BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("output price must not be negative, was -0.01");
    }
}
