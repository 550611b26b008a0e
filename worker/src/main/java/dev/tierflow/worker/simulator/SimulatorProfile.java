package dev.tierflow.worker.simulator;

import dev.tierflow.worker.simulator.ComplianceCurve.Point;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link SimulatedModelBackend} needs: its seed, how fast it runs, and how each tier behaves.
 * {@link #defaults()} gives a three-tier setup (small, mid, frontier) that {@code examples/simulator.yaml}
 * spells out; {@link SimulatorProfileLoader} reads one from YAML.
 *
 * @param seed the global seed: with the same seed, the same request always gets the same response
 * @param timeScale how much of the simulated latency a call really waits: 0 = none (tests, benchmarks),
 *                  1.0 = real time (live demo)
 * @param compliance how quality turns into passing the output contract
 * @param tiers the tiers by name
 */
public record SimulatorProfile(long seed, double timeScale, ComplianceCurve compliance, Map<String, TierProfile> tiers) {

    public SimulatorProfile {
        if (!(timeScale >= 0.0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be a finite number >= 0, was " + timeScale);
        }
        tiers = Collections.unmodifiableMap(new LinkedHashMap<>(tiers)); // keeps the file's order for messages
    }

    /**
     * Small is fast and cheap, good at mechanical work (format, extract, classify, move-file) and poor at
     * planning and synthesis; mid is solid but weaker at planning; frontier is slow and good at everything.
     * The numbers are illustrative, chosen so that routing by criticality visibly pays off in the demo.
     */
    public static SimulatorProfile defaults() {
        Map<String, TierProfile> tiers = new LinkedHashMap<>();
        tiers.put("small", new TierProfile(new LatencyProfile(350, 0.35), new OutputTokensProfile(0.40, 0.15),
                0.72, 0.08, 0.0, Map.of("plan", -0.35, "synthesize", -0.30, "review", -0.15,
                "extract", 0.08, "classify", 0.10, "format", 0.15, "move-file", 0.15)));
        tiers.put("mid", new TierProfile(new LatencyProfile(900, 0.30), new OutputTokensProfile(0.45, 0.15),
                0.82, 0.06, 0.10, Map.of("plan", -0.12, "synthesize", -0.10, "extract", 0.05, "format", 0.05)));
        tiers.put("frontier", new TierProfile(new LatencyProfile(2200, 0.30), new OutputTokensProfile(0.55, 0.15),
                0.92, 0.04, 0.20, Map.of("plan", 0.03, "synthesize", 0.02)));
        return new SimulatorProfile(0L, 0.0, defaultCompliance(), tiers);
    }

    /** The built-in curve: below quality 0.5 most outputs break their contract, above 0.9 almost none do. */
    public static ComplianceCurve defaultCompliance() {
        return new ComplianceCurve(List.of(new Point(0.0, 0.02), new Point(0.5, 0.35), new Point(0.7, 0.85),
                new Point(0.9, 0.97), new Point(1.0, 0.995)));
    }

    public SimulatorProfile withSeed(long newSeed) {
        return new SimulatorProfile(newSeed, timeScale, compliance, tiers);
    }

    public SimulatorProfile withTimeScale(double newTimeScale) {
        return new SimulatorProfile(seed, newTimeScale, compliance, tiers);
    }

    public SimulatorProfile withCompliance(ComplianceCurve newCompliance) {
        return new SimulatorProfile(seed, timeScale, newCompliance, tiers);
    }

    /** This profile with one tier added or replaced. */
    public SimulatorProfile withTier(String name, TierProfile tier) {
        Map<String, TierProfile> changed = new LinkedHashMap<>(tiers);
        changed.put(name, tier);
        return new SimulatorProfile(seed, timeScale, compliance, changed);
    }
}
