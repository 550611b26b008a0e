package dev.tierflow.local.dashboard;

import dev.tierflow.schemas.Alert;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The latest alert records, newest first by the time their state was entered, every state kept (a
 * RESOLVED follows its FIRING). Sorted by time rather than kept in arrival order because alerts of
 * different ids come from different partitions, interleaved. Not thread-safe: {@link DashboardData} guards it.
 */
final class AlertFeed {

    private static final Comparator<Snapshot.AlertRow> NEWEST_FIRST = Comparator.comparingLong(Snapshot.AlertRow::at).reversed();

    private final int capacity;
    private final List<Snapshot.AlertRow> newestFirst = new ArrayList<>();

    AlertFeed(int capacity) {
        this.capacity = capacity;
    }

    void add(Alert alert) {
        newestFirst.add(new Snapshot.AlertRow(alert.getAlertId(), String.valueOf(alert.getKind()), String.valueOf(alert.getState()),
                alert.getScope(), alert.getObserved(), alert.getThreshold(), alert.getActionTaken(), alert.getPolicyVersion(),
                alert.getMessage(), alert.getAt().toEpochMilli()));
        newestFirst.sort(NEWEST_FIRST);
        if (newestFirst.size() > capacity) {
            newestFirst.subList(capacity, newestFirst.size()).clear();
        }
    }

    List<Snapshot.AlertRow> snapshot() {
        return new ArrayList<>(newestFirst);
    }
}
