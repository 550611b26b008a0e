package dev.tierflow.alerting.control;

/**
 * One watched condition of a scope (say, the quality floor of {@code role=worker}): whether it is firing,
 * under which alert id, and whether an action has been taken for this firing. A Flink POJO.
 */
public class Condition {
    public boolean firing;
    public String alertId;
    public long firingSince;
    /** An action (or a definite refusal) was recorded for the current firing: do not retry every window. */
    public boolean settled;

    public Condition() {
    }
}
