package dev.tierflow.attribution.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import dev.tierflow.attribution.model.Attribution;

/**
 * Running totals of one scope in one window. Sums are exact (money in integer micro-dollars);
 * latency goes into a DDSketch (1 % relative error), which merges exactly, so p50/p95 of a window
 * do not depend on how its spans were split between accumulators.
 */
public class StatsAccumulator {

    /** Relative accuracy of the latency percentiles. */
    static final double LATENCY_RELATIVE_ACCURACY = 0.01;

    public String scope;
    public String role;
    public String taskType;
    public String tier;
    public String tenant;
    public String model;
    public long count;
    public long inputTokens;
    public long outputTokens;
    public long costMicros;
    public long frontierCostMicros;
    public double qualitySum;
    public long qualitySamples;
    public long checked;
    public long checkPassed;
    public long escalated;
    public long errors;
    public long stuck;
    public long unmatched;
    public DDSketch latency;

    public StatsAccumulator() {
    }

    /** Empty totals of the given scope, with the dimensions it names (the others null). */
    public static StatsAccumulator of(String scope, String role, String taskType, String tier, String tenant, String model) {
        StatsAccumulator totals = new StatsAccumulator();
        totals.scopeTo(scope, role, taskType, tier, tenant, model);
        return totals;
    }

    /** Adds an attribution already in its scope. */
    public void add(Attribution a) {
        add(a, a.scope, a.role, a.taskType, a.tier, a.tenant, a.model);
    }

    /** Adds an attribution's measures to the totals of the given scope (see {@link Scopes#forEachScope}). */
    public void add(Attribution a, String inScope, String scopeRole, String scopeTaskType, String scopeTier, String scopeTenant,
                    String scopeModel) {
        if (scope == null) {
            scopeTo(inScope, scopeRole, scopeTaskType, scopeTier, scopeTenant, scopeModel);
        }
        switch (a.kind) {
            case STUCK -> stuck++;
            case UNMATCHED -> {
                unmatched++;
                addMeasures(a);
            }
            case SPAN -> addMeasures(a);
        }
    }

    private void scopeTo(String inScope, String scopeRole, String scopeTaskType, String scopeTier, String scopeTenant,
                         String scopeModel) {
        scope = inScope;
        role = scopeRole;
        taskType = scopeTaskType;
        tier = scopeTier;
        tenant = scopeTenant;
        model = scopeModel;
    }

    private void addMeasures(Attribution a) {
        count++;
        inputTokens = plus(inputTokens, a.inputTokens);
        outputTokens = plus(outputTokens, a.outputTokens);
        costMicros = plus(costMicros, a.costMicros);
        frontierCostMicros = plus(frontierCostMicros, a.frontierCostMicros);
        if (a.quality != null) {
            qualitySum += a.quality;
            qualitySamples++;
        }
        if (a.checkPassed != null) {
            checked++;
            if (a.checkPassed) {
                checkPassed++;
            }
        }
        if (a.escalated) {
            escalated++;
        }
        if (a.error) {
            errors++;
        }
        latencySketch().accept(Math.max(0, a.latencyMs));
    }

    public StatsAccumulator merge(StatsAccumulator other) {
        if (scope == null) {
            scope = other.scope;
            role = other.role;
            taskType = other.taskType;
            tier = other.tier;
            tenant = other.tenant;
            model = other.model;
        }
        count += other.count;
        inputTokens = plus(inputTokens, other.inputTokens);
        outputTokens = plus(outputTokens, other.outputTokens);
        costMicros = plus(costMicros, other.costMicros);
        frontierCostMicros = plus(frontierCostMicros, other.frontierCostMicros);
        qualitySum += other.qualitySum;
        qualitySamples += other.qualitySamples;
        checked += other.checked;
        checkPassed += other.checkPassed;
        escalated += other.escalated;
        errors += other.errors;
        stuck += other.stuck;
        unmatched += other.unmatched;
        if (other.latency != null && !other.latency.isEmpty()) {
            latencySketch().mergeWith(other.latency);
        }
        return this;
    }

    /**
     * Exact while it fits; beyond that (nine quintillion, some 900 million spans at the largest cost
     * {@link dev.tierflow.attribution.validate.InputChecks} lets in, in one window) it stays at
     * {@code Long.MAX_VALUE} rather than throw: a sum cannot be traced to one record to dead-letter, and an
     * exception here would fail the job again on every restart from its checkpoint.
     */
    static long plus(long total, long more) {
        try {
            return Math.addExact(total, more);
        } catch (ArithmeticException overflow) {
            return more > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    /** Latency at quantile {@code q}, or null when the window has no span. */
    public Double latencyQuantile(double q) {
        return latency == null || latency.isEmpty() ? null : latency.getValueAtQuantile(q);
    }

    private DDSketch latencySketch() {
        if (latency == null) {
            latency = DDSketches.unboundedDense(LATENCY_RELATIVE_ACCURACY);
        }
        return latency;
    }
}
