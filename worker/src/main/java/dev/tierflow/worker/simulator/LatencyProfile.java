package dev.tierflow.worker.simulator;

/**
 * How long a tier's calls take: log-normally distributed, because real model latencies have a long right tail.
 *
 * @param medianMs the median latency in milliseconds
 * @param spread the standard deviation of the latency's natural logarithm (0 = always the median; 0.3 means
 *               about two thirds of calls fall within x0.74..x1.35 of the median)
 */
public record LatencyProfile(long medianMs, double spread) {

    long draw(double standardNormal) {
        return Math.round(medianMs * Math.exp(spread * standardNormal));
    }
}
