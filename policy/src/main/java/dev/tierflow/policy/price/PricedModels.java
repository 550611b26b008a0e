package dev.tierflow.policy.price;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for which models must have a price: every model a tier's workers may call. A task routed
 * to a tier with a model is answered by that model or, when it keeps failing, by the tier's fallback
 * model, and each answer is priced from the catalog; a model without a price would be called and then
 * recorded as free. The worker applies it at start to every model the policy file gives its tier, the
 * router and the alerting job to every live override (so an override the worker could not price is
 * rejected before a task is routed by it).
 */
public final class PricedModels {

    private PricedModels() {
    }

    /** The models a worker of {@code tier} may call for a task routed there with {@code model}: the model, then the tier's fallback. */
    public static List<String> calledFor(Tier tier, String model) {
        List<String> models = new ArrayList<>(2);
        models.add(model);
        String fallback = tier.backend().fallbackModel();
        if (fallback != null && !fallback.equals(model)) {
            models.add(fallback);
        }
        return models;
    }

    /** Every model a worker of {@code tier} may call under the policy file alone: the tier's own, its pins', and the fallback. */
    public static List<String> usedBy(RoutingPolicy policy, Tier tier) {
        List<String> models = new ArrayList<>(calledFor(tier, tier.model()));
        policy.pins().stream().filter(pin -> pin.tier().equals(tier)).forEach(pin -> {
            for (String model : calledFor(tier, pin.model())) {
                if (!models.contains(model)) {
                    models.add(model);
                }
            }
        });
        return models;
    }

    /**
     * A worker's check at start: every model of {@link #usedBy} has a price.
     *
     * @throws UnknownModelException listing every model without a price
     */
    public static void requireForTier(PriceCatalog prices, RoutingPolicy policy, Tier tier) {
        prices.requireModels(usedBy(policy, tier));
    }

    /**
     * A live override's check: every model a task routed by it may be answered by has a price.
     *
     * @param model the override's model, or null for the tier's own
     * @throws UnknownModelException listing every model without a price
     */
    public static void requireForRoute(PriceCatalog prices, Tier tier, String model) {
        prices.requireModels(calledFor(tier, model == null ? tier.model() : model));
    }
}
