package dev.tierflow.worker.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quality taken away at runtime from a tier for a role or task type, so the control loop has something to
 * react to. Thread-safe: calls read it while an operator or a test changes it.
 */
final class Degradations {

    /** Degrades a tier for every role and task type. */
    static final String ANY = "*";

    private record Key(String tier, String roleOrType) {
    }

    private final Map<Key, Double> deltas = new ConcurrentHashMap<>();

    /** Sets (does not add to) the quality taken from {@code tier} for {@code roleOrType}. */
    void degrade(String tier, String roleOrType, double qualityDelta) {
        deltas.put(new Key(tier, roleOrType), qualityDelta);
    }

    void restore(String tier, String roleOrType) {
        deltas.remove(new Key(tier, roleOrType));
    }

    void restoreAll() {
        deltas.clear();
    }

    /** The quality taken from a call: the sum of what applies to its role, its task type and the whole tier. */
    double qualityLost(String tier, String role, String taskType) {
        if (deltas.isEmpty()) {
            return 0.0; // the common case: nothing degraded, no lookups
        }
        double lost = deltas.getOrDefault(new Key(tier, ANY), 0.0);
        if (role != null) {
            lost += deltas.getOrDefault(new Key(tier, role), 0.0);
        }
        if (taskType != null && !taskType.equals(role)) {
            lost += deltas.getOrDefault(new Key(tier, taskType), 0.0);
        }
        return lost;
    }
}
