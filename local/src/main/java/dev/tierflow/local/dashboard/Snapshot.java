package dev.tierflow.local.dashboard;

import java.util.List;

/**
 * What the dashboard shows at one moment, as Jackson writes it for {@code /api/snapshot}. Money is in
 * integer micro-dollars where it is a sum (exact, as on the topics) and in dollars per hour where it is a
 * rate; times are epoch milliseconds. See local/DASHBOARD.md for each field.
 */
public record Snapshot(long generatedAt, RecordsRead recordsRead, Spend spend, Quality quality, Savings savings,
                       List<AlertRow> alerts, Policy policy) {

    /** Records read from each topic so far (decoded or not), so an empty page can say whether anything came. */
    public record RecordsRead(long stats, long alerts, long policy, long undecodable) {
    }

    /**
     * Spend rate per role over the latest windows: {@code usdPerHour[i]} of each role is its window ending
     * at {@code windowEnds[i]}, null where that role had no window.
     */
    public record Spend(Long windowSizeMs, List<Long> windowEnds, List<RoleSpend> roles) {
    }

    public record RoleSpend(String role, List<Double> usdPerHour) {
    }

    /** The latest window of each role scope and each role × type × tier scope, next to its floor. */
    public record Quality(List<QualityRow> roles, List<QualityRow> roleTypeTiers) {
    }

    /**
     * @param mean       null when no span of the window carried a quality score
     * @param floor      null when no quality floor of the policy matches the scope
     * @param belowFloor true only when the window is judged (samples ≥ minSamples) and its mean is under the floor
     */
    public record QualityRow(String scope, String label, Double mean, long samples, Double floor, Integer minSamples,
                             boolean belowFloor, long windowEnd) {
    }

    /**
     * Spend against what a uniform frontier routing would have cost, over the tenant scopes' windows that
     * tile time (start a multiple of the window size), so nothing is counted twice.
     *
     * @param savedPercent null while the frontier cost is zero
     */
    public record Savings(int windows, long spentMicros, long frontierMicros, long savedMicros, Double savedPercent) {
    }

    public record AlertRow(String alertId, String kind, String state, String scope, double observed, double threshold,
                           String actionTaken, Long policyVersion, String message, long at) {
    }

    /** The policy file's version and default tier, and the rules in force, live ones with their origin. */
    public record Policy(String fileVersion, String defaultTier, List<PolicyRow> rules) {
    }

    /**
     * One rule in force.
     *
     * @param source     FILE, ALERT or OPERATOR
     * @param version    null for rules of the file
     * @param overrides  the tier the policy file gives the same scope, when a live rule replaces it
     */
    public record PolicyRow(String scope, String tier, String model, String source, String reason, Long version,
                            Long updatedAt, Long expiresAt, String causedByAlertId, boolean pinned, String overrides) {
    }
}
