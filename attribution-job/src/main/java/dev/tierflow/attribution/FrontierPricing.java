package dev.tierflow.attribution;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.ModelPrice;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.ResultSpan;
import java.io.Serializable;

/**
 * The counterfactual: what a span's tokens would have cost on the frontier (top) tier, so "saved vs
 * uniform frontier" is always known. It assumes the frontier model would have read and written the
 * same number of tokens, which is the usual first-order estimate; a span that ran on the frontier tier
 * costs what it cost.
 */
public final class FrontierPricing implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String frontierTier;
    private final String frontierModel;
    private final ModelPrice frontierPrice;

    public FrontierPricing(String frontierTier, String frontierModel, ModelPrice frontierPrice) {
        this.frontierTier = frontierTier;
        this.frontierModel = frontierModel;
        this.frontierPrice = frontierPrice;
    }

    /** @throws dev.tierflow.policy.price.UnknownModelException if the catalog has no price for the top tier's model */
    public static FrontierPricing of(RoutingPolicy policy, PriceCatalog prices) {
        Tier top = policy.topTier();
        return new FrontierPricing(top.name(), top.model(), prices.price(top.model()));
    }

    public long costMicros(ResultSpan span) {
        if (frontierTier.equals(span.getTier()) || frontierModel.equals(span.getModel())) {
            return span.getCostMicros();
        }
        long input = Math.max(0, span.getInputTokens());
        long cached = Math.min(Math.max(0, span.getCachedInputTokens()), input);
        return frontierPrice.costMicros(input, Math.max(0, span.getOutputTokens()), cached);
    }

    public String frontierModel() {
        return frontierModel;
    }
}
