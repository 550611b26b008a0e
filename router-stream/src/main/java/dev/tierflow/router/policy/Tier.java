package dev.tierflow.router.policy;

/** One model tier; {@code rank} orders tiers from cheapest (0) to the top. */
public record Tier(String name, int rank, String model, String provider) {
}
