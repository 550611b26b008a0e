package dev.tierflow.local;

import dev.tierflow.local.dashboard.Snapshot;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The demo's terminal output: a live line per tick and the summary on exit, from the dashboard's snapshot. */
final class DemoReport {

    private final PrintStream out;

    DemoReport(PrintStream out) {
        this.out = out;
    }

    /** One live table: spend rate by role in the latest window, saving so far, alerts. */
    void live(long elapsedSeconds, long tasksSent, Snapshot snapshot) {
        StringBuilder roles = new StringBuilder();
        for (Snapshot.RoleSpend role : snapshot.spend().roles()) {
            Double latest = latest(role.usdPerHour());
            if (latest != null) {
                roles.append(String.format(Locale.ROOT, "  %s $%,.0f/h", role.role(), latest));
            }
        }
        Snapshot.Savings savings = snapshot.savings();
        long firing = stillFiring(snapshot.alerts());
        out.printf(Locale.ROOT, "[%4d s] %,7d tasks |%s | saved vs all-frontier %s | alerts %d (%d firing)%n", elapsedSeconds, tasksSent,
                roles.length() == 0 ? " (waiting for the first window)" : roles,
                savings.savedPercent() == null ? "-" : String.format(Locale.ROOT, "%.0f %%", savings.savedPercent()),
                snapshot.alerts().size(), firing);
    }

    /** What the run cost, what all-frontier would have cost, quality against floors, alerts and policy changes. */
    void summary(Snapshot snapshot, long tasksSent) {
        Snapshot.Savings savings = snapshot.savings();
        out.println();
        out.println("TierFlow demo summary");
        out.printf(Locale.ROOT, "  tasks sent                 %,d%n", tasksSent);
        out.printf(Locale.ROOT, "  spend                      $%,.4f  (%,d µ$, over %d non-overlapping windows of the tenants)%n",
                savings.spentMicros() / 1e6, savings.spentMicros(), savings.windows());
        out.printf(Locale.ROOT, "  all on the frontier tier   $%,.4f%n", savings.frontierMicros() / 1e6);
        out.printf(Locale.ROOT, "  saved                      $%,.4f  (%s)%n", savings.savedMicros() / 1e6,
                savings.savedPercent() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", savings.savedPercent()));
        out.println("  quality vs floor, per role (latest window)");
        for (Snapshot.QualityRow row : snapshot.quality().roles()) {
            out.printf(Locale.ROOT, "    %-12s %s  floor %s  (%d samples)%s%n", row.label(),
                    row.mean() == null ? "  -  " : String.format(Locale.ROOT, "%.3f", row.mean()),
                    row.floor() == null ? "-" : String.format(Locale.ROOT, "%.2f", row.floor()), row.samples(),
                    row.belowFloor() ? "  BELOW" : "");
        }
        Map<String, Integer> alertCounts = new TreeMap<>();
        for (Snapshot.AlertRow alert : snapshot.alerts()) {
            alertCounts.merge(alert.kind() + " " + alert.state(), 1, Integer::sum);
        }
        out.println("  alerts " + (alertCounts.isEmpty() ? "none" : alertCounts));
        List<Snapshot.PolicyRow> automatic = snapshot.policy().rules().stream().filter(r -> !r.source().equals("FILE")).toList();
        out.println("  policy changes in force " + (automatic.isEmpty() ? "none" : ""));
        for (Snapshot.PolicyRow rule : automatic) {
            out.printf(Locale.ROOT, "    %s -> %s (%s v%s%s): %s%n", rule.scope(), rule.tier(), rule.source(), rule.version(),
                    rule.overrides() == null ? "" : ", file says " + rule.overrides(), rule.reason());
        }
    }

    /** Alerts whose latest record is FIRING (the feed is newest first; RESOLVED shares its alert's id). */
    static long stillFiring(List<Snapshot.AlertRow> newestFirst) {
        Map<String, String> latestState = new java.util.HashMap<>();
        for (Snapshot.AlertRow alert : newestFirst) {
            latestState.putIfAbsent(alert.alertId(), alert.state());
        }
        return latestState.values().stream().filter("FIRING"::equals).count();
    }

    private static Double latest(List<Double> values) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (values.get(i) != null) {
                return values.get(i);
            }
        }
        return null;
    }
}
