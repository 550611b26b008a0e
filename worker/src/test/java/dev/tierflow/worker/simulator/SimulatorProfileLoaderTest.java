package dev.tierflow.worker.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorProfileLoaderTest {

    @Test
    void theExampleFileSpellsOutTheBuiltInDefaults() {
        SimulatorProfile example = SimulatorProfileLoader.load(Path.of("../examples/simulator.yaml"));

        assertThat(example.seed()).isEqualTo(42L);
        assertThat(example.timeScale()).isZero();
        assertThat(example.tiers()).isEqualTo(SimulatorProfile.defaults().tiers());
        assertThat(example.tiers().keySet()).containsExactly("small", "mid", "frontier");
        assertThat(example.compliance()).isEqualTo(SimulatorProfile.defaults().compliance());
    }

    @Test
    void whatTheFileLeavesOutComesFromTheDefaults() {
        SimulatorProfile profile = SimulatorProfileLoader.parse("seed: 9\n", "inline");

        assertThat(profile).isEqualTo(SimulatorProfile.defaults().withSeed(9));
        assertThat(SimulatorProfileLoader.parse("", "inline")).isEqualTo(SimulatorProfile.defaults());
    }

    @Test
    void aListedTierNeedsOnlyLatencyTokensAndQuality() {
        SimulatorProfile profile = SimulatorProfileLoader.parse("""
                timeScale: 1.0
                tiers:
                  tiny: {latencyMs: {median: 50, spread: 0.1}, outputTokens: {mean: 0.3, spread: 0.05}, quality: 0.5}
                """, "inline");

        assertThat(profile.timeScale()).isEqualTo(1.0);
        assertThat(profile.tiers()).containsOnlyKeys("tiny");
        assertThat(profile.tiers().get("tiny")).isEqualTo(new TierProfile(new LatencyProfile(50, 0.1),
                new OutputTokensProfile(0.3, 0.05), 0.5, 0.0, 0.0, Map.of()));
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        String yaml = """
                timeScale: -1
                compliance:
                  - {quality: 0.5, probability: 0.5}
                  - {quality: 0.4, probability: 1.5}
                tiers:
                  small:
                    latencyMs: {median: -3, spread: 0.1}
                    quality: 1.5
                    adjustments: {plan: -2}
                  "Big Tier": {latencyMs: {median: 1, spread: 0}, outputTokens: {mean: 1, spread: 0}, quality: 0.5}
                """;

        assertThatThrownBy(() -> SimulatorProfileLoader.parse(yaml, "sim.yaml"))
                .isInstanceOfSatisfying(InvalidSimulatorProfileException.class, e -> assertThat(e.problems()).containsExactly(
                        "timeScale: must be a finite number >= 0 (0 = do not wait, 1.0 = real time), was -1.0",
                        "compliance[1].probability: must be a number in [0, 1], was 1.5",
                        "compliance[1].quality: qualities must be strictly ascending, 0.4 follows 0.5",
                        "tiers.small.latencyMs.median: must be a number of milliseconds >= 0, was -3",
                        "tiers.small.outputTokens: is required: {mean: fraction of the budget, spread: its standard deviation}",
                        "tiers.small.quality: must be a number in [0, 1], was 1.5",
                        "tiers.small.adjustments.plan: must be a quality change in [-1, 1], was -2.0",
                        "tiers.Big Tier: tier name 'Big Tier' " + Topics.tierNameProblem("Big Tier")))
                .hasMessageStartingWith("invalid simulator profile sim.yaml:");
    }

    @Test
    void anUnknownFieldIsNamedWithItsPath() {
        assertThatThrownBy(() -> SimulatorProfileLoader.parse("tiers:\n  small: {latency: {median: 1}}\n", "inline"))
                .isInstanceOfSatisfying(InvalidSimulatorProfileException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("tiers.small.latency: unknown field (known fields here: "));
    }
}
