package dev.tierflow.alerting.control;

/** A cost demotion on trial: reverted at once if quality breaks the floor before {@link #untilMillis}. A Flink POJO. */
public class Probation {
    public long untilMillis;
    /** The tier the scope had before the demotion. */
    public String fromTier;
    /** The live override in force before the demotion (null: none, the static rule applied). */
    public String previousOverrideTier;
    public String causedByAlertId;

    public Probation() {
    }
}
