package dev.tierflow.worker.simulator;

import java.util.SplittableRandom;

/**
 * The random numbers one simulated call uses, drawn in a fixed order before any of them is looked at. So a
 * degradation that changes the quality changes nothing else about the call, and restoring it gives back
 * exactly the same responses.
 *
 * @param text the generator's state after the fixed draws, for the output text (which uses a varying number)
 */
record CallDraws(double latencyNormal, double tokensNormal, double qualityNormal, double complianceRoll,
                 double violationRoll, SplittableRandom text) {

    static CallDraws from(SplittableRandom random) {
        double latency = standardNormal(random);
        double tokens = standardNormal(random);
        double quality = standardNormal(random);
        double compliance = random.nextDouble();
        double violation = random.nextDouble();
        return new CallDraws(latency, tokens, quality, compliance, violation, random);
    }

    /**
     * Box-Muller by hand rather than {@code RandomGenerator.nextGaussian()}, whose algorithm the JDK does not
     * promise to keep: recorded benchmark runs must replay identically on a later JDK.
     */
    private static double standardNormal(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
