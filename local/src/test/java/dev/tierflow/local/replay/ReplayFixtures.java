package dev.tierflow.local.replay;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.worker.replay.ReplayIndex;
import dev.tierflow.worker.replay.ReplayLoader;
import dev.tierflow.worker.replay.ReplayOptions;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/** A three-tier policy, its prices, and replay indexes read from CSV text, for the strategy tests. */
final class ReplayFixtures {

    static final RoutingPolicy POLICY = PolicyLoader.parse("""
            version: "t1"
            tiers:
              - {name: small, model: small-model, provider: p}
              - {name: mid, model: mid-model, provider: p}
              - {name: top, model: top-model, provider: p}
            defaultTier: mid
            """, "test-policy.yaml");

    /** Micro-dollars per token: small 1 in / 2 out, mid 2 / 4, top 10 / 20. */
    static final PriceCatalog PRICES = PriceCatalog.parse("""
            version: "t1"
            currency: USD
            models:
              small-model: {input: 1.00, output: 2.00}
              mid-model: {input: 2.00, output: 4.00}
              top-model: {input: 10.00, output: 20.00}
            """, "test-prices.yaml");

    private ReplayFixtures() {
    }

    static ReplayIndex index(String longCsv) {
        try {
            return ReplayLoader.read(new StringReader(longCsv), "test.csv", ReplayOptions.detect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
