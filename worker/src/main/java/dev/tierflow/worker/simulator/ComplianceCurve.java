package dev.tierflow.worker.simulator;

import java.util.List;

/**
 * The probability that an output passes its task's output contract, given the output's quality: linear
 * between the points, flat beyond the first and the last. Checks are deterministic but models are not, so
 * even a good answer sometimes breaks its format; the curve says how often.
 *
 * @param points at least one point, qualities strictly ascending (the loader checks; so does the constructor)
 */
public record ComplianceCurve(List<Point> points) {

    /** At {@code quality}, outputs comply with {@code probability}. */
    public record Point(double quality, double probability) {
    }

    public ComplianceCurve {
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a compliance curve needs at least one point");
        }
        for (int i = 1; i < points.size(); i++) {
            if (!(points.get(i).quality() > points.get(i - 1).quality())) {
                throw new IllegalArgumentException("compliance curve qualities must be strictly ascending: " + points);
            }
        }
    }

    /** The same probability at every quality: 1.0 always complies, 0.0 never does (handy in tests). */
    public static ComplianceCurve constant(double probability) {
        return new ComplianceCurve(List.of(new Point(0.0, probability)));
    }

    public double probability(double quality) {
        Point first = points.get(0);
        if (quality <= first.quality()) {
            return first.probability();
        }
        for (int i = 1; i < points.size(); i++) {
            Point right = points.get(i);
            if (quality <= right.quality()) {
                Point left = points.get(i - 1);
                double t = (quality - left.quality()) / (right.quality() - left.quality());
                return left.probability() + t * (right.probability() - left.probability());
            }
        }
        return points.get(points.size() - 1).probability();
    }
}
