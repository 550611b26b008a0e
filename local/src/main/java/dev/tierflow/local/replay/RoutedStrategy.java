package dev.tierflow.local.replay;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tierflow} strategy: what the pipeline did, from its result spans. A task cost every attempt it
 * took (escalations included); its quality is its final span's score; it finished on its final span's tier.
 */
public final class RoutedStrategy {

    public static final String TIERFLOW = "tierflow";

    private RoutedStrategy() {
    }

    /**
     * @param spans every span of the tasks, each task's final one (not escalated) included
     * @throws IllegalArgumentException when a task has no final span
     */
    public static StrategyResult of(List<AgentTask> tasks, List<ResultSpan> spans, double successScore) {
        Map<String, Long> costs = new HashMap<>();
        Map<String, ResultSpan> finals = new HashMap<>();
        for (ResultSpan span : spans) {
            costs.merge(span.getTaskId(), span.getCostMicros(), Long::sum);
            if (!span.getEscalated()) {
                finals.put(span.getTaskId(), span);
            }
        }
        StrategyTally tally = new StrategyTally(TIERFLOW, successScore);
        for (AgentTask task : tasks) {
            ResultSpan last = finals.get(task.getTaskId());
            if (last == null) {
                throw new IllegalArgumentException("task " + task.getTaskId() + " has no final span");
            }
            long cost = costs.get(task.getTaskId());
            if (last.getStatus() == SpanStatus.ERROR) {
                tally.withoutOutcome(last.getTier(), cost);
            } else {
                tally.answered(last.getTier(), cost, last.getQuality());
            }
        }
        return tally.result();
    }
}
