package dev.tierflow.local;


import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.StatsScopes;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest of each thing the report topics say: the newest window per role scope, the latest state of
 * each alert, and the live rule of each scope of the compacted policy topic (a tombstone removes it).
 * Fed by {@link TopicRecords}; single-threaded.
 */
public final class LatestRecords implements TopicRecords.Listener {

    private final Map<String, CostQualityStats> statsByRole = new TreeMap<>();
    private final Map<String, Alert> alertsById = new TreeMap<>();
    private final Map<String, PolicyRule> policyByScope = new TreeMap<>();
    private long undecodable;

    @Override
    public void onStats(CostQualityStats stats) {
        if (StatsScopes.isRole(stats.getScope())) {
            // a window that fires again after late data may arrive after a newer one: keep the newest
            statsByRole.merge(stats.getScope(), stats, (old, next) -> next.getWindowEnd().isBefore(old.getWindowEnd()) ? old : next);
        }
    }

    @Override
    public void onAlert(Alert alert) {
        alertsById.merge(alert.getAlertId(), alert, (old, next) -> next.getAt().isBefore(old.getAt()) ? old : next);
    }

    @Override
    public void onPolicy(String scope, PolicyRule rule) {
        if (rule == null) {
            policyByScope.remove(scope);
        } else {
            policyByScope.put(scope, rule);
        }
    }

    @Override
    public void onUndecodable() {
        undecodable++;
    }

    /** Role scope → its newest window. */
    public Map<String, CostQualityStats> statsByRole() {
        return statsByRole;
    }

    /** Alert id → its latest record. */
    public Map<String, Alert> alertsById() {
        return alertsById;
    }

    /** Scope → its live rule. */
    public Map<String, PolicyRule> policyByScope() {
        return policyByScope;
    }

    public long undecodable() {
        return undecodable;
    }
}
