package dev.tierflow.worker.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The simulator YAML as written, before validation; {@link SimulatorProfileLoader} turns it into a
 * {@link SimulatorProfile} or refuses it with every problem named. Boxed types tell "absent" from zero.
 */
record SimulatorProfileDocument(
        @JsonProperty("seed") Long seed,
        @JsonProperty("timeScale") Double timeScale,
        @JsonProperty("compliance") List<PointDocument> compliance,
        @JsonProperty("tiers") LinkedHashMap<String, TierDocument> tiers) {

    record PointDocument(
            @JsonProperty("quality") Double quality,
            @JsonProperty("probability") Double probability) {
    }

    record TierDocument(
            @JsonProperty("latencyMs") LatencyDocument latencyMs,
            @JsonProperty("outputTokens") OutputTokensDocument outputTokens,
            @JsonProperty("quality") Double quality,
            @JsonProperty("qualitySpread") Double qualitySpread,
            @JsonProperty("cachedInputFraction") Double cachedInputFraction,
            @JsonProperty("adjustments") LinkedHashMap<String, Double> adjustments) {
    }

    record LatencyDocument(
            @JsonProperty("median") Long median,
            @JsonProperty("spread") Double spread) {
    }

    record OutputTokensDocument(
            @JsonProperty("mean") Double mean,
            @JsonProperty("spread") Double spread) {
    }
}
