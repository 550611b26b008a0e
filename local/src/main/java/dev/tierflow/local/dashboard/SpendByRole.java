package dev.tierflow.local.dashboard;


import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.StatsScopes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Spend per role scope over time, as a rate in dollars per hour of each window. The stats windows slide
 * (by default 5 min every 30 s), so consecutive windows overlap and their costs cannot be stacked into
 * a spend per slide-long pane; each window's cost divided by its length is a rate that can. Not
 * thread-safe: {@link DashboardData} guards it.
 */
final class SpendByRole {

    private static final double MICROS_PER_DOLLAR = 1_000_000.0;
    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private final int maxPoints;
    /** role → window end → spend rate of that window; a window that fires again (late data) replaces its rate. */
    private final Map<String, NavigableMap<Long, Double>> rateByRole = new TreeMap<>();
    private Long windowSizeMs;

    SpendByRole(int maxPoints) {
        this.maxPoints = maxPoints;
    }

    void add(CostQualityStats stats) {
        if (!StatsScopes.isRole(stats.getScope())) {
            return;
        }
        long start = stats.getWindowStart().toEpochMilli();
        long end = stats.getWindowEnd().toEpochMilli();
        if (end <= start) {
            return;
        }
        windowSizeMs = end - start;
        NavigableMap<Long, Double> windows = rateByRole.computeIfAbsent(Scopes.label(stats.getScope()), role -> new TreeMap<>());
        windows.put(end, stats.getCostMicros() / MICROS_PER_DOLLAR * (MILLIS_PER_HOUR / windowSizeMs));
        while (windows.size() > maxPoints) {
            windows.pollFirstEntry();
        }
    }

    Snapshot.Spend snapshot() {
        TreeSet<Long> allEnds = new TreeSet<>();
        rateByRole.values().forEach(windows -> allEnds.addAll(windows.keySet()));
        List<Long> ends = new ArrayList<>(allEnds.descendingSet().stream().limit(maxPoints).toList());
        Collections.reverse(ends);
        List<Snapshot.RoleSpend> roles = new ArrayList<>();
        rateByRole.forEach((role, windows) -> roles.add(new Snapshot.RoleSpend(role, ends.stream().map(windows::get).toList())));
        return new Snapshot.Spend(windowSizeMs, ends, roles);
    }
}
