package dev.tierflow.policy.alerting;

import java.io.Serializable;

/** A role scope breaches when more than {@code maxPerWindow} of its attempts are stuck in one window. */
public record StuckTasksRule(int maxPerWindow) implements Serializable {
}
