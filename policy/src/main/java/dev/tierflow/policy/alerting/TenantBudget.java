package dev.tierflow.policy.alerting;

import java.io.Serializable;
import java.util.List;

/**
 * A tenant's spend per UTC day and per calendar month, in micro-USD; either may be null (no such budget).
 * {@code warnAt} are the fractions of a budget that raise a warning, ascending.
 */
public record TenantBudget(String tenant, Long dailyMicros, Long monthlyMicros, List<Double> warnAt) implements Serializable {

    public TenantBudget {
        warnAt = List.copyOf(warnAt);
    }
}
