package dev.tierflow.policy;

/**
 * One model tier; {@code rank} orders tiers from cheapest (0) to the top. {@code backend} says how the
 * tier's workers call the model.
 */
public record Tier(String name, int rank, String model, String provider, WorkerBackend backend) {
}
