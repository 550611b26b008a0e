package dev.tierflow.local.replay;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.worker.replay.ReplayIndex;
import dev.tierflow.worker.replay.ReplayModelBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tier of a policy answering from one replay file: per tier, which recorded model stands for the tier's
 * model, and a {@link ReplayModelBackend} over the shared index with that mapping. The mapping of a tier comes
 * from {@code --model TIER=RECORDED}, else from the policy's {@code tiers[].backend.recordedModels}, else the
 * tier's model must be in the file under its own name.
 */
public final class ReplayTiers {

    private final List<Tier> tiers;
    private final Map<String, String> recordedModels;
    private final Map<String, ReplayModelBackend> backends;

    private ReplayTiers(List<Tier> tiers, Map<String, String> recordedModels, Map<String, ReplayModelBackend> backends) {
        this.tiers = tiers;
        this.recordedModels = recordedModels;
        this.backends = backends;
    }

    /**
     * @param modelOptions tier name → recorded model name, from the command line
     * @throws IllegalArgumentException naming every tier it cannot map, and every option naming an unknown tier
     */
    public static ReplayTiers of(RoutingPolicy policy, ReplayIndex index, Map<String, String> modelOptions) {
        List<String> problems = new ArrayList<>();
        modelOptions.keySet().stream().filter(name -> policy.tier(name) == null).sorted().forEach(name -> problems.add(
                "--model " + name + "=...: the policy has no tier '" + name + "' (tiers are " + tierNames(policy.tiers()) + ")"));
        Map<String, String> recorded = new LinkedHashMap<>();
        Map<String, ReplayModelBackend> backends = new HashMap<>();
        for (Tier tier : policy.tiers()) {
            Map<String, String> mapping = new HashMap<>(tier.backend().recordedModels());
            if (modelOptions.containsKey(tier.name())) {
                mapping.put(tier.model(), modelOptions.get(tier.name()));
            }
            String model = mapping.getOrDefault(tier.model(), tier.model());
            if (!index.hasModel(model)) {
                problems.add("tier " + tier.name() + ": the replay has no model '" + model + "'; map the tier to a recorded model with --model "
                        + tier.name() + "=RECORDED or tiers[].backend.recordedModels (recorded models: " + String.join(", ", index.models()) + ")");
                continue;
            }
            recorded.put(tier.name(), model);
            backends.put(tier.name(), new ReplayModelBackend(index, mapping));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new ReplayTiers(policy.tiers(), recorded, backends);
    }

    /** The tiers, cheapest first. */
    public List<Tier> tiers() {
        return tiers;
    }

    /** The recorded model that answers for a tier. */
    public String recordedModel(String tier) {
        return recordedModels.get(tier);
    }

    /** The backend of a tier's workers, and of the baselines computed for it. */
    public ReplayModelBackend backend(Tier tier) {
        return backends.get(tier.name());
    }

    private static String tierNames(List<Tier> tiers) {
        return String.join(", ", tiers.stream().map(Tier::name).toList());
    }
}
