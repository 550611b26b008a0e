package dev.tierflow.local.dashboard;


import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.StatsScopes;
import java.util.HashMap;
import java.util.Map;

/**
 * Cumulative spend against the uniform-frontier counterfactual, summed over the tenant scopes (every span
 * has exactly one tenant, so they add up to the whole). Counted exactly as the alerting job counts
 * tenant budgets: sliding windows overlap, but those whose start is a multiple of the window size tile
 * time, so only they are summed; a window that fires again after late data replaces its earlier totals.
 * Not thread-safe: {@link DashboardData} guards it.
 */
final class FrontierSavings {

    private record Totals(long spentMicros, long frontierMicros) {
    }

    /** "tenant=N@windowStart" → that window's totals. Grows by one entry per tenant per window size (288 a day at 5 min). */
    private final Map<String, Totals> tilingWindows = new HashMap<>();
    private long spentMicros;
    private long frontierMicros;

    void add(CostQualityStats stats) {
        if (!StatsScopes.isTenant(stats.getScope())) {
            return;
        }
        long start = stats.getWindowStart().toEpochMilli();
        long size = stats.getWindowEnd().toEpochMilli() - start;
        if (size <= 0 || Math.floorMod(start, size) != 0) {
            return;
        }
        Totals now = new Totals(stats.getCostMicros(), stats.getFrontierCostMicros());
        Totals before = tilingWindows.put(stats.getScope() + "@" + start, now);
        if (before != null) {
            spentMicros -= before.spentMicros;
            frontierMicros -= before.frontierMicros;
        }
        spentMicros += now.spentMicros;
        frontierMicros += now.frontierMicros;
    }

    Snapshot.Savings snapshot() {
        long saved = frontierMicros - spentMicros;
        Double percent = frontierMicros == 0 ? null : 100.0 * saved / frontierMicros;
        return new Snapshot.Savings(tilingWindows.size(), spentMicros, frontierMicros, saved, percent);
    }
}
