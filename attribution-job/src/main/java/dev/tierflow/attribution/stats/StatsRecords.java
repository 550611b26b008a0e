package dev.tierflow.attribution.stats;

import dev.tierflow.schemas.CostQualityStats;
import java.time.Instant;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/** Turns a window's totals into the {@link CostQualityStats} record the stats topic carries. */
final class StatsRecords {

    private StatsRecords() {
    }

    /** @param latestSlice the window's newest pane, or null when it has none */
    static CostQualityStats toStats(StatsAccumulator acc, TimeWindow window, StatsAccumulator latestSlice) {
        return CostQualityStats.newBuilder()
                .setScope(acc.scope)
                .setRole(acc.role)
                .setTaskType(acc.taskType)
                .setTier(acc.tier)
                .setTenant(acc.tenant)
                .setModel(acc.model)
                .setWindowStart(Instant.ofEpochMilli(window.getStart()))
                .setWindowEnd(Instant.ofEpochMilli(window.getEnd()))
                .setCount(acc.count)
                .setInputTokens(acc.inputTokens)
                .setOutputTokens(acc.outputTokens)
                .setCostMicros(acc.costMicros)
                .setFrontierCostMicros(acc.frontierCostMicros)
                .setQualityMean(acc.qualitySamples == 0 ? null : acc.qualitySum / acc.qualitySamples)
                .setQualitySamples(acc.qualitySamples)
                .setCheckPassRate(acc.checked == 0 ? null : (double) acc.checkPassed / acc.checked)
                .setEscalationRate(acc.count == 0 ? 0.0 : (double) acc.escalated / acc.count)
                .setErrorRate(acc.count == 0 ? 0.0 : (double) acc.errors / acc.count)
                .setLatencyP50Ms(acc.latencyQuantile(0.50))
                .setLatencyP95Ms(acc.latencyQuantile(0.95))
                .setStuckCount(acc.stuck)
                .setUnmatchedCount(acc.unmatched)
                .setLatestSliceQualityMean(latestSlice == null || latestSlice.qualitySamples == 0 ? null
                        : latestSlice.qualitySum / latestSlice.qualitySamples)
                .setLatestSliceQualitySamples(latestSlice == null ? 0 : latestSlice.qualitySamples)
                .build();
    }
}
