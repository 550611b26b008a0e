package dev.tierflow.policy.alerting;

import java.io.Serializable;

/**
 * A window of a matching scope breaches when its quality mean falls below {@code floor}; a window with
 * fewer than {@code minSamples} graded attempts is not judged, so one bad grade cannot raise an alert.
 */
public record QualityFloor(ScopePattern scope, double floor, int minSamples) implements Serializable {
}
