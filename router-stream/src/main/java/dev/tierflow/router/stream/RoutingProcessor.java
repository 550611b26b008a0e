package dev.tierflow.router.stream;

import dev.tierflow.router.RouterMetrics;
import dev.tierflow.router.decision.LiveOverrideTable;
import dev.tierflow.router.decision.RoutingDecision;
import dev.tierflow.router.decision.TaskRouter;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.RoutedTask;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decides each task's tier and forwards it as a {@link RoutedTask}, keyed by task id. A task the
 * router rejects throws, and the processing exception handler dead-letters it.
 */
final class RoutingProcessor implements Processor<String, AgentTask, String, RoutedTask> {

    private final TaskRouter router;
    private final LiveOverrideTable overrides;
    private final RouterMetrics metrics;
    private ProcessorContext<String, RoutedTask> context;

    RoutingProcessor(TaskRouter router, LiveOverrideTable overrides, RouterMetrics metrics) {
        this.router = router;
        this.overrides = overrides;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, RoutedTask> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, AgentTask> record) {
        AgentTask task = record.value();
        long now = context.currentSystemTimeMs();
        RoutingDecision decision = router.decide(task, overrides.current(), now);
        RoutedTask routed = RoutedTask.newBuilder()
                .setTask(task)
                .setTier(decision.tier().name())
                .setModel(decision.model())
                .setProvider(decision.provider())
                .setMaxOutputTokens(decision.maxOutputTokens())
                .setPolicyVersion(router.policy().version())
                .setOverrideVersion(decision.overrideVersion())
                .setRule(decision.rule())
                .setRuleDetail(decision.ruleDetail())
                .setRoutedAt(Instant.ofEpochMilli(now))
                .build();
        metrics.decided(decision.tier(), decision.rule());
        context.forward(record.withKey(task.getTaskId()).withValue(routed));
    }
}
