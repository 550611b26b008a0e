package dev.tierflow.alerting.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the alerting job remembers about one action scope ({@code role=worker},
 * {@code role=worker/type=extract}, {@code tenant=acme}): its conditions, the live override in force,
 * recent changes (for the cooldown and the hourly cap), a probation, a hold after a revert, and tenant
 * spend. A Flink POJO kept in keyed state.
 */
public class ScopeState {
    /** Condition per kind and stats scope, e.g. {@code QUALITY_FLOOR role=worker/type=extract/tier=small}. */
    public Map<String, Condition> conditions = new HashMap<>();
    /** The tier of the live override in force for the scope, null when none (the static policy applies). */
    public String overrideTier;
    public String overrideSource;
    public Long overrideExpiresAt;
    /** A compliance rule on the policy topic marks the scope pinned: nothing automatic touches it. */
    public boolean pinnedByRule;
    /** Highest rule version seen for the scope: the next one written is one more. */
    public long version;
    /** When automatic changes were made (event time), for the cooldown and the per-hour cap. */
    public List<Long> changes = new ArrayList<>();
    public Probation probation;
    /** After a reverted demotion, the scope stays at the higher tier until then. */
    public long heldUntil;
    /** Tenant spend: per budget period (e.g. day 2026-01-05), cost per non-overlapping window start. */
    public Map<String, Map<Long, Long>> spendByPeriod = new HashMap<>();
    /** Budget warnings already fired, e.g. {@code day 2026-01-05 0.8}. */
    public List<String> budgetWarnings = new ArrayList<>();

    public ScopeState() {
    }

    Condition condition(String key) {
        return conditions.computeIfAbsent(key, k -> new Condition());
    }
}
