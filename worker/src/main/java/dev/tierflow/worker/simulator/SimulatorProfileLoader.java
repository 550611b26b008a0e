package dev.tierflow.worker.simulator;

import dev.tierflow.config.YamlFiles;
import dev.tierflow.schemas.Topics;
import dev.tierflow.worker.simulator.ComplianceCurve.Point;
import dev.tierflow.worker.simulator.SimulatorProfileDocument.LatencyDocument;
import dev.tierflow.worker.simulator.SimulatorProfileDocument.OutputTokensDocument;
import dev.tierflow.worker.simulator.SimulatorProfileDocument.PointDocument;
import dev.tierflow.worker.simulator.SimulatorProfileDocument.TierDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a simulator profile from YAML (see {@code examples/simulator.yaml}) and validates it; a file with any
 * problem is refused as a whole, every problem named by its field path. What the file leaves out comes from
 * {@link SimulatorProfile#defaults()}: no {@code tiers} means the built-in tiers, no {@code compliance} the
 * built-in curve. A tier the file does list must give its latency, output tokens and quality.
 */
public final class SimulatorProfileLoader {

    private SimulatorProfileLoader() {
    }

    public static SimulatorProfile load(Path file) {
        return parse(YamlFiles.read(file, "simulator profile"), file.toString());
    }

    /** Parses and validates simulator YAML; {@code source} names it in error messages. An empty file means all defaults. */
    public static SimulatorProfile parse(String yaml, String source) {
        SimulatorProfileDocument document = YamlFiles.parse(yaml, SimulatorProfileDocument.class,
                problems -> new InvalidSimulatorProfileException(source, problems), null);
        return document == null ? SimulatorProfile.defaults() : new Validation(source).check(document);
    }

    /** Collects every problem of one document, then builds the profile if there were none. */
    private static final class Validation {
        private final String source;
        private final List<String> problems = new ArrayList<>();

        Validation(String source) {
            this.source = source;
        }

        SimulatorProfile check(SimulatorProfileDocument doc) {
            SimulatorProfile defaults = SimulatorProfile.defaults();
            long seed = doc.seed() == null ? defaults.seed() : doc.seed();
            double timeScale = doc.timeScale() == null ? defaults.timeScale() : doc.timeScale();
            if (!(timeScale >= 0.0) || Double.isInfinite(timeScale)) {
                problem("timeScale", "must be a finite number >= 0 (0 = do not wait, 1.0 = real time), was " + timeScale);
            }
            ComplianceCurve compliance = doc.compliance() == null ? defaults.compliance() : compliance(doc.compliance());
            Map<String, TierProfile> tiers = doc.tiers() == null ? defaults.tiers() : tiers(doc.tiers());
            if (!problems.isEmpty()) {
                throw new InvalidSimulatorProfileException(source, problems);
            }
            return new SimulatorProfile(seed, timeScale, compliance, tiers);
        }

        private ComplianceCurve compliance(List<PointDocument> documents) {
            if (documents.isEmpty()) {
                problem("compliance", "needs at least one point {quality, probability}");
                return null;
            }
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < documents.size(); i++) {
                String field = "compliance[" + i + "]";
                PointDocument point = documents.get(i);
                if (point == null) {
                    problem(field, "is empty");
                    continue;
                }
                boolean qualityOk = unit(field + ".quality", point.quality());
                boolean probabilityOk = unit(field + ".probability", point.probability());
                if (qualityOk && !points.isEmpty() && !(point.quality() > points.get(points.size() - 1).quality())) {
                    problem(field + ".quality", "qualities must be strictly ascending, " + point.quality()
                            + " follows " + points.get(points.size() - 1).quality());
                } else if (qualityOk && probabilityOk) {
                    points.add(new Point(point.quality(), point.probability()));
                }
            }
            return points.size() == documents.size() ? new ComplianceCurve(points) : null;
        }

        private Map<String, TierProfile> tiers(Map<String, TierDocument> documents) {
            if (documents.isEmpty()) {
                problem("tiers", "needs at least one tier (or leave it out for the built-in small, mid, frontier)");
            }
            Map<String, TierProfile> tiers = new LinkedHashMap<>();
            documents.forEach((name, tier) -> {
                String field = "tiers." + name;
                String nameProblem = Topics.tierNameProblem(name);
                if (nameProblem != null) {
                    problem(field, "tier name '" + name + "' " + nameProblem);
                } else if (tier == null) {
                    problem(field, "is empty");
                } else {
                    TierProfile profile = tier(field, tier);
                    if (profile != null) {
                        tiers.put(name, profile);
                    }
                }
            });
            return tiers;
        }

        private TierProfile tier(String field, TierDocument doc) {
            int before = problems.size();
            LatencyDocument latency = doc.latencyMs();
            if (latency == null) {
                problem(field + ".latencyMs", "is required: {median: ms, spread: sigma of log latency}");
            } else {
                if (latency.median() == null || latency.median() < 0) {
                    problem(field + ".latencyMs.median", "must be a number of milliseconds >= 0, was " + latency.median());
                }
                nonNegative(field + ".latencyMs.spread", latency.spread(), true);
            }
            OutputTokensDocument tokens = doc.outputTokens();
            if (tokens == null) {
                problem(field + ".outputTokens", "is required: {mean: fraction of the budget, spread: its standard deviation}");
            } else {
                nonNegative(field + ".outputTokens.mean", tokens.mean(), true);
                nonNegative(field + ".outputTokens.spread", tokens.spread(), true);
            }
            unit(field + ".quality", doc.quality());
            nonNegative(field + ".qualitySpread", doc.qualitySpread(), false);
            if (doc.cachedInputFraction() != null) {
                unit(field + ".cachedInputFraction", doc.cachedInputFraction());
            }
            Map<String, Double> adjustments = doc.adjustments() == null ? Map.of() : doc.adjustments();
            adjustments.forEach((roleOrType, delta) -> {
                if (delta == null || !(delta >= -1.0 && delta <= 1.0)) {
                    problem(field + ".adjustments." + roleOrType, "must be a quality change in [-1, 1], was " + delta);
                }
            });
            if (problems.size() > before) {
                return null;
            }
            return new TierProfile(new LatencyProfile(latency.median(), latency.spread()),
                    new OutputTokensProfile(tokens.mean(), tokens.spread()), doc.quality(),
                    doc.qualitySpread() == null ? 0.0 : doc.qualitySpread(),
                    doc.cachedInputFraction() == null ? 0.0 : doc.cachedInputFraction(), adjustments);
        }

        private boolean unit(String field, Double value) {
            if (value == null || !(value >= 0.0 && value <= 1.0)) {
                problem(field, "must be a number in [0, 1], was " + value);
                return false;
            }
            return true;
        }

        private void nonNegative(String field, Double value, boolean required) {
            if (value == null ? required : !(value >= 0.0) || value.isInfinite()) {
                problem(field, "must be a finite number >= 0, was " + value);
            }
        }

        private void problem(String field, String message) {
            problems.add(field + ": " + message);
        }
    }
}
