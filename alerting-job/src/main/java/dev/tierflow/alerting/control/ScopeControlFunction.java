package dev.tierflow.alerting.control;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.CostQualityStats;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the {@link ScopeController} of each action scope in Flink: stats (keyed by their action scope)
 * and the {@code policy} topic's records (keyed by scope) meet here, the scope's state is checkpointed,
 * and event-time timers wake the scope when a probation ends or an automatic override expires.
 * Alerts are the main output; policy changes a side output.
 */
public class ScopeControlFunction extends KeyedCoProcessFunction<String, CostQualityStats, PolicyChange, Alert> {

    public static final OutputTag<PolicyChange> POLICY_CHANGES = new OutputTag<>("policy-changes", TypeInformation.of(PolicyChange.class));

    /** The policy file's text: parsed on each task manager, so the job ships text, not parsed objects. */
    private final String policyYaml;
    private final String policySource;
    private final boolean actionsEnabled;

    private transient ScopeController controller;
    private transient ValueState<ScopeState> state;
    private transient Counter alertsOut;
    private transient Counter changesOut;

    public ScopeControlFunction(String policyYaml, String policySource, boolean actionsEnabled) {
        this.policyYaml = policyYaml;
        this.policySource = policySource;
        this.actionsEnabled = actionsEnabled;
    }

    @Override
    public void open(OpenContext openContext) {
        controller = new ScopeController(PolicyLoader.parse(policyYaml, policySource), actionsEnabled);
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("scope", TypeInformation.of(ScopeState.class)));
        alertsOut = getRuntimeContext().getMetricGroup().counter("alertsEmitted");
        changesOut = getRuntimeContext().getMetricGroup().counter("policyChangesEmitted");
    }

    @Override
    public void processElement1(CostQualityStats stats, Context ctx, Collector<Alert> out) throws Exception {
        ScopeState scope = current();
        Decisions decisions = controller.onStats(scope, ctx.getCurrentKey(), stats);
        finish(scope, decisions, ctx, out);
    }

    @Override
    public void processElement2(PolicyChange change, Context ctx, Collector<Alert> out) throws Exception {
        ScopeState scope = current();
        controller.onPolicy(scope, change);
        finish(scope, new Decisions(), ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        ScopeState scope = state.value();
        if (scope == null) {
            return;
        }
        finish(scope, controller.onTime(scope, ctx.getCurrentKey(), timestamp), ctx, out);
    }

    private ScopeState current() throws Exception {
        ScopeState scope = state.value();
        return scope != null ? scope : new ScopeState();
    }

    private void finish(ScopeState scope, Decisions decisions, Context ctx, Collector<Alert> out) throws Exception {
        for (PolicyChange change : decisions.policyChanges()) {
            changesOut.inc();
            ctx.output(POLICY_CHANGES, change);
        }
        for (Alert alert : decisions.alerts()) {
            alertsOut.inc();
            out.collect(alert);
        }
        state.update(scope);
        long wakeUp = controller.nextWakeUp(scope);
        if (wakeUp != Long.MAX_VALUE) {
            // registering the same instant twice keeps one timer
            ctx.timerService().registerEventTimeTimer(wakeUp);
        }
    }
}
