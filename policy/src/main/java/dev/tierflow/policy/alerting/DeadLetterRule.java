package dev.tierflow.policy.alerting;

import java.io.Serializable;

/** Breaches when more than {@code maxPerMinute} records reach the dead-letter topics in a minute. */
public record DeadLetterRule(int maxPerMinute) implements Serializable {
}
