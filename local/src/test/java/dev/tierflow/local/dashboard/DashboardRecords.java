package dev.tierflow.local.dashboard;

import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.CostQualityStats;
import java.time.Duration;
import java.time.Instant;

/** Stats windows and alerts as the attribution and alerting jobs write them, for the dashboard's tests. */
public final class DashboardRecords {

    static final Duration WINDOW = Duration.ofMinutes(5);

    private DashboardRecords() {
    }

    /** A window of {@link #WINDOW} starting at {@code start}, with its scope's keys filled in as the job does. */
    public static CostQualityStats.Builder window(String scope, Instant start, long costMicros, long frontierCostMicros) {
        CostQualityStats.Builder stats = CostQualityStats.newBuilder().setScope(scope)
                .setWindowStart(start).setWindowEnd(start.plus(WINDOW))
                .setCount(10).setInputTokens(10_000).setOutputTokens(2_000)
                .setCostMicros(costMicros).setFrontierCostMicros(frontierCostMicros);
        for (String part : scope.split("/")) {
            String value = part.substring(part.indexOf('=') + 1);
            switch (part.substring(0, part.indexOf('='))) {
                case "role" -> stats.setRole(value);
                case "type" -> stats.setTaskType(value);
                case "tier" -> stats.setTier(value);
                case "tenant" -> stats.setTenant(value);
                default -> throw new IllegalArgumentException("unknown scope key in " + scope);
            }
        }
        return stats;
    }

    public static CostQualityStats quality(String scope, Instant start, double mean, long samples) {
        return window(scope, start, 1_000, 5_000).setQualityMean(mean).setQualitySamples(samples).build();
    }

    public static Alert alert(String id, AlertState state, String scope, String message, Instant at) {
        return Alert.newBuilder().setAlertId(id).setKind(AlertKind.QUALITY_FLOOR).setState(state).setScope(scope)
                .setObserved(0.61).setThreshold(0.70).setActionTaken(state == AlertState.FIRING ? "promoted " + scope + " to frontier" : null)
                .setMessage(message).setAt(at).build();
    }
}
