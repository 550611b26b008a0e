package dev.tierflow.local.dashboard;


import dev.tierflow.policy.alerting.AlertingPolicy;
import dev.tierflow.policy.alerting.QualityFloor;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.StatsScopes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest window's quality of each role scope and each role × type × tier scope, next to the floor the
 * alerting job judges it against (the most specific matching floor of the policy file, as the job picks
 * it). Not thread-safe: {@link DashboardData} guards it.
 */
final class QualityBoard {

    private final AlertingPolicy alerting;
    private final Map<String, CostQualityStats> latestByScope = new TreeMap<>();

    QualityBoard(AlertingPolicy alerting) {
        this.alerting = alerting;
    }

    void add(CostQualityStats stats) {
        String scope = stats.getScope();
        if (!StatsScopes.isRole(scope) && !Scopes.isRoleTypeTier(scope)) {
            return;
        }
        CostQualityStats latest = latestByScope.get(scope);
        // windows that fire again after late data come out of order: an older window never replaces a newer one
        if (latest == null || !stats.getWindowEnd().isBefore(latest.getWindowEnd())) {
            latestByScope.put(scope, stats);
        }
    }

    Snapshot.Quality snapshot() {
        return new Snapshot.Quality(rows(true), rows(false));
    }

    private List<Snapshot.QualityRow> rows(boolean roles) {
        return latestByScope.values().stream().filter(stats -> StatsScopes.isRole(stats.getScope()) == roles).map(this::row).toList();
    }

    private Snapshot.QualityRow row(CostQualityStats stats) {
        QualityFloor floor = alerting.floorFor(stats.getScope());
        Double mean = stats.getQualityMean();
        boolean judged = floor != null && mean != null && stats.getQualitySamples() >= floor.minSamples();
        return new Snapshot.QualityRow(stats.getScope(), Scopes.label(stats.getScope()), mean, stats.getQualitySamples(),
                floor == null ? null : floor.floor(), floor == null ? null : floor.minSamples(),
                judged && mean < floor.floor(), stats.getWindowEnd().toEpochMilli());
    }
}
