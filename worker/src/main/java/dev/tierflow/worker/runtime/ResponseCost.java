package dev.tierflow.worker.runtime;

import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.policy.price.UnknownModelException;
import dev.tierflow.worker.backend.ModelResponse;

/**
 * What an answer cost, in micro-dollars: the cost its backend recorded when it knows it exactly (a replay),
 * else the catalog's price of its tokens. One function, so a worker's spans and a replay's baselines agree.
 */
public final class ResponseCost {

    private ResponseCost() {
    }

    /** @throws UnknownModelException when the cost was not recorded and the catalog has no price for the model */
    public static long micros(ModelResponse response, PriceCatalog prices) {
        return response.recordedCostMicros() != null ? response.recordedCostMicros()
                : prices.costMicros(response.model(), response.inputTokens(), response.outputTokens(), response.cachedInputTokens());
    }
}
