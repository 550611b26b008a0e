package dev.tierflow.worker.runtime;

import dev.tierflow.policy.Pin;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import java.util.Objects;

/**
 * The worker's own check of a router's decision before it spends money on it: anyone who can write to
 * {@code tasks.<tier>} can write a routed task, so the worker calls only what the policy lets this tier call.
 * A decision that fails is dead-lettered ({@code INVALID_DECISION}), never executed.
 */
@FunctionalInterface
public interface DecisionCheck {

    /** @return why the worker must not execute this decision, or null when it may */
    String problem(RoutedTask routed);

    /**
     * Only what needs no policy: the tier is this worker's, model and provider are named, the budget is
     * positive. For tools and tests that run a worker without a policy file.
     */
    static DecisionCheck structural(String tier) {
        return routed -> structuralProblem(routed, tier);
    }

    /**
     * The policy's rules: the tier is this worker's and in the policy; the model is the tier's, its backend's
     * fallback, or that of a pin routed to this tier, with that model's provider; a live override
     * ({@code rule = LIVE_OVERRIDE}) may also name any model the price catalog knows, with the tier's
     * provider, as the router accepts such overrides; the budget is positive.
     */
    static DecisionCheck against(RoutingPolicy policy, String workerTier, PriceCatalog prices) {
        Objects.requireNonNull(prices, "prices");
        return routed -> {
            String problem = structuralProblem(routed, workerTier);
            if (problem != null) {
                return problem;
            }
            Tier tier = policy.tier(routed.getTier());
            if (tier == null) {
                return "tier '" + routed.getTier() + "' is not in the policy";
            }
            String model = routed.getModel();
            String provider = routed.getProvider();
            if (model.equals(tier.model()) || model.equals(tier.backend().fallbackModel())) {
                return provider.equals(tier.provider()) ? null
                        : "provider '" + provider + "' is not tier " + tier.name() + "'s ('" + tier.provider() + "') for model " + model;
            }
            for (Pin pin : policy.pins()) {
                if (pin.tier().equals(tier) && model.equals(pin.model())) {
                    String pinProvider = pin.provider() != null ? pin.provider() : tier.provider();
                    return provider.equals(pinProvider) ? null
                            : "provider '" + provider + "' is not pin " + pin.name() + "'s ('" + pinProvider + "') for model " + model;
                }
            }
            if (routed.getRule() == RoutingRule.LIVE_OVERRIDE && prices.knows(model)) {
                return provider.equals(tier.provider()) ? null
                        : "provider '" + provider + "' is not tier " + tier.name() + "'s ('" + tier.provider() + "') for model " + model;
            }
            return "model '" + model + "' is not tier " + tier.name() + "'s (" + tier.model() + "), its fallback or a pin's"
                    + (routed.getRule() == RoutingRule.LIVE_OVERRIDE ? ", nor a priced model" : "");
        };
    }

    private static String structuralProblem(RoutedTask routed, String workerTier) {
        if (routed.getTask() == null || blank(routed.getTask().getTaskId())) {
            return "the task or its task id is missing";
        }
        if (blank(routed.getTier())) {
            return "tier is missing";
        }
        if (!routed.getTier().equals(workerTier)) {
            return "tier '" + routed.getTier() + "' is not this worker's tier (" + workerTier + ")";
        }
        if (blank(routed.getModel())) {
            return "model is missing";
        }
        if (blank(routed.getProvider())) {
            return "provider is missing";
        }
        if (routed.getMaxOutputTokens() <= 0) {
            return "maxOutputTokens must be positive, was " + routed.getMaxOutputTokens();
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
