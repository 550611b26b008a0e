package dev.tierflow.policy.alerting;

import java.io.Serializable;

/**
 * A window of a matching scope breaches when its spend, scaled to an hour, exceeds this. Micro-USD
 * (1 USD = 1,000,000), the unit the attribution job counts in, so no rounding enters the comparison.
 */
public record CostCeiling(ScopePattern scope, long microsPerHour) implements Serializable {
}
