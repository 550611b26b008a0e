package dev.tierflow.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.policy.price.ModelPrice;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** The frontier counterfactual in long arithmetic must be exactly what the price catalog computes with BigDecimal. */
class FrontierPricingProperties {

    @Property(tries = 2_000)
    void longArithmeticGivesTheCatalogsCostToTheMicroDollar(@ForAll("prices") BigDecimal input, @ForAll("prices") BigDecimal cached,
                                                             @ForAll("prices") BigDecimal output,
                                                             @ForAll @LongRange(max = 5_000_000) long inputTokens,
                                                             @ForAll @LongRange(max = 5_000_000) long outputTokens,
                                                             @ForAll @LongRange(max = 5_000_000) long cachedTokens) {
        long cachedInput = Math.min(cachedTokens, inputTokens);
        ModelPrice price = new ModelPrice(input, output, cached);

        long fast = new FrontierPricing("frontier", "m-top", price).costMicros(inputTokens, outputTokens, cachedInput);

        assertThat(fast).isEqualTo(price.costMicros(inputTokens, outputTokens, cachedInput));
    }

    @Example
    void halvesRoundToTheEvenNeighbourAsTheCatalogDoes() {
        ModelPrice half = new ModelPrice(new BigDecimal("0.5"), new BigDecimal("0.5"), new BigDecimal("0.5"));
        FrontierPricing pricing = new FrontierPricing("frontier", "m-top", half);

        assertThat(pricing.costMicros(1, 0, 0)).isZero();
        assertThat(pricing.costMicros(3, 0, 0)).isEqualTo(2);
        assertThat(pricing.costMicros(5, 0, 0)).isEqualTo(2);
        assertThat(pricing.costMicros(5, 0, 0)).isEqualTo(half.costMicros(5, 0, 0));
    }

    @Example
    void aPriceFinerThanTheUnitFallsBackToTheExactComputation() {
        ModelPrice fine = new ModelPrice(new BigDecimal("0.0000000001"), new BigDecimal("3"), new BigDecimal("0.0000000001"));

        assertThat(new FrontierPricing("frontier", "m-top", fine).costMicros(5_000_000_000L, 1, 0))
                .isEqualTo(fine.costMicros(5_000_000_000L, 1, 0));
    }

    @Example
    void aSumBeyondALongFallsBackToTheExactComputation() {
        ModelPrice dear = new ModelPrice(new BigDecimal("1000000"), new BigDecimal("1000000"), new BigDecimal("1000000"));

        assertThat(new FrontierPricing("frontier", "m-top", dear).costMicros(1_000_000, 1_000_000, 0))
                .isEqualTo(dear.costMicros(1_000_000, 1_000_000, 0));
    }

    @Example
    void aSpanBeyondTheLimitsIsPricedAtTheLimitsInsteadOfFailingTheJob() {
        // 3 and 15 micro-dollars per input and output token
        ModelPrice price = new ModelPrice(new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.3"));
        var span = dev.tierflow.testing.ResultSpanBuilder.span("t").tier("small", "small-model").tokens(Long.MAX_VALUE, -5).build();

        assertThat(new FrontierPricing("frontier", "m-top", price).costMicros(span)).isEqualTo(100_000_000L * 3);
    }

    @Example
    void aFrontierPriceTooLargeForTheLimitsIsRefusedAtStart() {
        ModelPrice absurd = new ModelPrice(new BigDecimal("1e12"), new BigDecimal("1"), new BigDecimal("1"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FrontierPricing("frontier", "m-top", absurd))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }

    @Provide
    Arbitrary<BigDecimal> prices() {
        return Arbitraries.integers().between(0, 9)
                .flatMap(scale -> Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("200")).ofScale(scale));
    }
}
