package dev.tierflow.policy.price;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the cost arithmetic over arbitrary prices and token counts. A call's tokens are drawn
 * as three disjoint kinds (uncached input, cached input, output); the cached ones are part of the
 * input, as the catalog bills them.
 */
class CostProperties {

    private static final long MAX_TOKENS = 2_000_000_000L;

    record Usage(long uncachedInput, long cachedInput, long output) {
        long cost(ModelPrice price) {
            return price.costMicros(uncachedInput + cachedInput, output, cachedInput);
        }

        Usage plus(Usage other) {
            return new Usage(uncachedInput + other.uncachedInput, cachedInput + other.cachedInput, output + other.output);
        }
    }

    @Property
    void moreTokensOfAnyKindNeverCostLess(@ForAll("prices") ModelPrice price, @ForAll("usages") Usage usage,
                                          @ForAll @LongRange(min = 0, max = MAX_TOKENS) long more) {
        long cost = usage.cost(price);

        assertThat(usage.plus(new Usage(more, 0, 0)).cost(price)).as("more uncached input").isGreaterThanOrEqualTo(cost);
        assertThat(usage.plus(new Usage(0, more, 0)).cost(price)).as("more cached input").isGreaterThanOrEqualTo(cost);
        assertThat(usage.plus(new Usage(0, 0, more)).cost(price)).as("more output").isGreaterThanOrEqualTo(cost);
    }

    @Property
    void theCostOfTwoCallsTogetherIsTheirSumWithinOneRounding(@ForAll("prices") ModelPrice price,
                                                              @ForAll("usages") Usage a, @ForAll("usages") Usage b) {
        // each of the three costs is off from its exact value by at most half a micro-dollar
        long difference = a.plus(b).cost(price) - a.cost(price) - b.cost(price);

        assertThat(Math.abs(difference)).isLessThanOrEqualTo(1);
    }

    @Property
    void theCostIsWithinHalfAMicroDollarOfTheExactCost(@ForAll("prices") ModelPrice price, @ForAll("usages") Usage usage) {
        BigDecimal exact = price.input().multiply(BigDecimal.valueOf(usage.uncachedInput()))
                .add(price.cachedInput().multiply(BigDecimal.valueOf(usage.cachedInput())))
                .add(price.output().multiply(BigDecimal.valueOf(usage.output())));

        BigDecimal error = BigDecimal.valueOf(usage.cost(price)).subtract(exact).abs();

        assertThat(error).isLessThanOrEqualTo(new BigDecimal("0.5"));
    }

    @Provide
    Arbitrary<ModelPrice> prices() {
        // up to $200 per million tokens, to a ten-thousandth of a micro-dollar, so halves and odd fractions occur
        Arbitrary<BigDecimal> price = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("200")).ofScale(4),
                Arbitraries.of(new BigDecimal("0.5"), new BigDecimal("0.25"), new BigDecimal("0.1"), BigDecimal.ZERO));
        return Combinators.combine(price, price, price).as(ModelPrice::new);
    }

    @Provide
    Arbitrary<Usage> usages() {
        Arbitrary<Long> tokens = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 100),
                Arbitraries.longs().between(0, MAX_TOKENS));
        return Combinators.combine(tokens, tokens, tokens).as(Usage::new);
    }
}
