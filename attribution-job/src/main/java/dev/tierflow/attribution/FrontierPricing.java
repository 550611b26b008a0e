package dev.tierflow.attribution;

import dev.tierflow.attribution.validate.InputChecks;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.ModelPrice;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.ResultSpan;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The counterfactual: what a span's tokens would have cost on the frontier (top) tier, so "saved vs
 * uniform frontier" is always known. It assumes the frontier model would have read and written the
 * same number of tokens, which is the usual first-order estimate; a span that ran on the frontier tier
 * costs what it cost.
 */
public final class FrontierPricing implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Prices are held in units of 10^-9 micro-dollars per token when they fit (catalog prices do). */
    private static final int SCALE = 9;
    private static final long UNITS_PER_MICRO = 1_000_000_000L;

    private final String frontierTier;
    private final String frontierModel;
    private final ModelPrice frontierPrice;
    /** The frontier prices (input, cached input, output) in units, or null when one does not fit. */
    private final long[] unitPrices;

    public FrontierPricing(String frontierTier, String frontierModel, ModelPrice frontierPrice) {
        this.frontierTier = frontierTier;
        this.frontierModel = frontierModel;
        this.frontierPrice = frontierPrice;
        this.unitPrices = unitPrices(frontierPrice);
        requireLimitsPriceable(frontierModel, frontierPrice);
    }

    /**
     * Every span the job accepts ({@link InputChecks}) can be priced at the frontier without overflow, so
     * pricing never fails the join: checked once, at start (the cost is linear in each count, so the
     * largest cost is at a corner of the limits).
     */
    private static void requireLimitsPriceable(String model, ModelPrice price) {
        long max = InputChecks.MAX_TOKENS;
        try {
            price.costMicros(max, max, 0);
            price.costMicros(max, max, max);
        } catch (ArithmeticException tooDear) {
            throw new IllegalArgumentException("the frontier model " + model + "'s price " + price + " is too large: "
                    + max + " tokens at it cost more than a long holds", tooDear);
        }
    }

    /** @throws dev.tierflow.policy.price.UnknownModelException if the catalog has no price for the top tier's model */
    public static FrontierPricing of(RoutingPolicy policy, PriceCatalog prices) {
        Tier top = policy.topTier();
        return new FrontierPricing(top.name(), top.model(), prices.price(top.model()));
    }

    /**
     * Never throws: the counts are clamped to the limits the source checks ({@link InputChecks}), which
     * only changes spans that never passed that check (say, one restored from a checkpoint taken before it).
     */
    public long costMicros(ResultSpan span) {
        if (frontierTier.equals(span.getTier()) || frontierModel.equals(span.getModel())) {
            return span.getCostMicros();
        }
        long input = withinLimits(span.getInputTokens());
        long cached = Math.min(withinLimits(span.getCachedInputTokens()), input);
        return costMicros(input, withinLimits(span.getOutputTokens()), cached);
    }

    private static long withinLimits(long tokens) {
        return Math.min(Math.max(0, tokens), InputChecks.MAX_TOKENS);
    }

    /**
     * What {@link ModelPrice#costMicros} gives, to the micro-dollar and with the same half-even rounding,
     * in long arithmetic: this runs once per span on the job's busiest thread, where BigDecimal showed in
     * the profile. Falls back to the BigDecimal computation when a price or the sum does not fit.
     */
    long costMicros(long inputTokens, long outputTokens, long cachedInputTokens) {
        if (unitPrices == null) {
            return frontierPrice.costMicros(inputTokens, outputTokens, cachedInputTokens);
        }
        try {
            long units = Math.addExact(Math.addExact(
                    Math.multiplyExact(inputTokens - cachedInputTokens, unitPrices[0]),
                    Math.multiplyExact(cachedInputTokens, unitPrices[1])),
                    Math.multiplyExact(outputTokens, unitPrices[2]));
            long micros = units / UNITS_PER_MICRO;
            long twiceRemainder = 2 * (units % UNITS_PER_MICRO);
            boolean roundUp = twiceRemainder > UNITS_PER_MICRO || (twiceRemainder == UNITS_PER_MICRO && (micros & 1) == 1);
            return roundUp ? micros + 1 : micros;
        } catch (ArithmeticException overflow) {
            return frontierPrice.costMicros(inputTokens, outputTokens, cachedInputTokens);
        }
    }

    private static long[] unitPrices(ModelPrice price) {
        try {
            return new long[] {units(price.input()), units(price.cachedInput()), units(price.output())};
        } catch (ArithmeticException finerThanAUnitOrTooLarge) {
            return null;
        }
    }

    private static long units(BigDecimal microsPerToken) {
        return microsPerToken.movePointRight(SCALE).longValueExact();
    }

    public String frontierModel() {
        return frontierModel;
    }
}
