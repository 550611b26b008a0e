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
 * router rejects throws, and the processing exception handler dead-letters it. While a policy record waits
 * for an unreachable registry, tasks are not routed: the processing fails and is retried (see {@link LiveOverrideReader}).
 */
final class RoutingProcessor implements Processor<String, ReceivedTask, String, RoutedTask> {

    private final TaskRouter router;
    private final LiveOverrideTable overrides;
    private final LiveOverrideReader overrideReader;
    private final RouterMetrics metrics;
    private ProcessorContext<String, RoutedTask> context;

    RoutingProcessor(TaskRouter router, LiveOverrideTable overrides, LiveOverrideReader overrideReader, RouterMetrics metrics) {
        this.router = router;
        this.overrides = overrides;
        this.overrideReader = overrideReader;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, RoutedTask> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, ReceivedTask> record) {
        ReceivedTask received = record.value();
        AgentTask task = received == null ? null : received.task();
        long now = context.currentSystemTimeMs();
        // a policy record still waiting for the registry may be an override this task is subject to
        overrideReader.awaitPending(now);
        RoutingDecision decision = router.decide(task, overrides.current(), now);
        // All-fields constructors: the builder validates and copies per field, measurable at this rate.
        RoutedTask routed = received.record() != null
                ? new PreEncodedRoutedTask(received.record(), task, decision.tier().name(), decision.model(), decision.provider(),
                        decision.maxOutputTokens(), router.policy().version(), decision.overrideVersion(), decision.rule(),
                        decision.ruleDetail(), Instant.ofEpochMilli(now))
                : new RoutedTask(task, decision.tier().name(), decision.model(), decision.provider(),
                        decision.maxOutputTokens(), router.policy().version(), decision.overrideVersion(), decision.rule(),
                        decision.ruleDetail(), Instant.ofEpochMilli(now));
        metrics.decided(decision.tier(), decision.rule());
        context.forward(record.withKey(task.getTaskId()).withValue(routed));
    }
}
