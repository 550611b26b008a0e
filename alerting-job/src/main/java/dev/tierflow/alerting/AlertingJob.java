package dev.tierflow.alerting;

import dev.tierflow.alerting.control.DeadLetterRateFunction;
import dev.tierflow.alerting.control.ScopeControlFunction;
import dev.tierflow.alerting.control.Scopes;
import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.policy.alerting.AlertingPolicy;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.CostQualityStats;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The alerting job's logic, with no sources, sinks or clocks: stats, the policy topic's records and
 * dead-letter sightings in; alerts and policy changes out.
 *
 * <pre>
 * stats ──(keyBy action scope)──┐
 *                               ├► scope control ─► alerts
 * policy ─(keyBy scope)─────────┘        └► policy changes
 * dead letters ─► rate per minute ─► alerts
 * </pre>
 */
public final class AlertingJob {

    public static final String SCOPE_CONTROL_UID = "scope-control";
    public static final String DEAD_LETTER_RATE_UID = "dead-letter-rate";

    /** What the job needs to decide: the policy file's text (parsed on the task managers) and whether it may act. */
    public record Parameters(String policyYaml, String policySource, AlertingPolicy rules, boolean actionsEnabled) {
    }

    public record Outputs(DataStream<Alert> alerts, DataStream<PolicyChange> policyChanges) {
    }

    private AlertingJob() {
    }

    /**
     * @param deadLetters one element (the source topic's name) per dead-lettered record; may be null when
     *                    the policy has no dead-letter rule
     */
    public static Outputs defineWorkflow(DataStream<CostQualityStats> stats, DataStream<PolicyChange> policy,
                                         DataStream<String> deadLetters, Parameters parameters) {
        SingleOutputStreamOperator<Alert> scopeAlerts = stats
                .filter(s -> Scopes.actionScope(s.getScope()) != null).name("scopes-with-actions")
                .keyBy(s -> Scopes.actionScope(s.getScope()), Types.STRING)
                .connect(policy.keyBy(change -> change.scope, Types.STRING))
                .process(new ScopeControlFunction(parameters.policyYaml(), parameters.policySource(), parameters.actionsEnabled()),
                        new AvroTypeInfo<>(Alert.class))
                .name(SCOPE_CONTROL_UID).uid(SCOPE_CONTROL_UID);
        DataStream<Alert> alerts = scopeAlerts;
        if (deadLetters != null && parameters.rules().deadLetters() != null) {
            DataStream<Alert> deadLetterAlerts = deadLetters
                    .keyBy(topic -> DeadLetterRateFunction.KEY, Types.STRING)
                    .process(new DeadLetterRateFunction(parameters.rules().deadLetters().maxPerMinute(), parameters.rules().hysteresis()),
                            new AvroTypeInfo<>(Alert.class))
                    .name(DEAD_LETTER_RATE_UID).uid(DEAD_LETTER_RATE_UID);
            alerts = alerts.union(deadLetterAlerts);
        }
        return new Outputs(alerts, scopeAlerts.getSideOutput(ScopeControlFunction.POLICY_CHANGES));
    }
}
