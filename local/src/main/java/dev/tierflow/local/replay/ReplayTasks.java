package dev.tierflow.local.replay;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.worker.replay.RecordedOutcome;
import dev.tierflow.worker.replay.ReplayIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One task per recorded prompt: task id {@code replay-<promptId>}, the prompt id as {@code inputRef}, the
 * success score as the contract's {@code minQuality} (so a recorded score below it escalates, as a failed
 * check would), and creation times one millisecond apart in prompt order.
 *
 * @param role the agents' role on every task
 * @param taskType every task's type; null: the prompt's category, or {@code replay} when it has none
 */
public record ReplayTasks(String tenant, String role, String taskType, double successScore) {

    public static final String TASK_ID_PREFIX = "replay-";
    static final String UNCATEGORIZED = "replay";

    public static String taskId(String promptId) {
        return TASK_ID_PREFIX + promptId;
    }

    /** The tasks of every prompt of {@code index}, sorted by prompt id, the first created at {@code firstCreatedAt}. */
    public List<AgentTask> of(ReplayIndex index, Instant firstCreatedAt) {
        List<AgentTask> tasks = new ArrayList<>();
        List<String> promptIds = index.promptIds();
        for (int i = 0; i < promptIds.size(); i++) {
            String promptId = promptIds.get(i);
            tasks.add(AgentTask.newBuilder()
                    .setTaskId(taskId(promptId)).setRunId("replay").setTenant(tenant).setRole(role)
                    .setTaskType(taskType != null ? taskType : index.category(promptId).orElse(UNCATEGORIZED))
                    .setInputRef(promptId).setInputTokens(inputTokens(index, promptId))
                    .setOutputContract(OutputContract.newBuilder().setMinQuality(successScore).build())
                    .setCreatedAt(firstCreatedAt.plusMillis(i)).setAttributes(new HashMap<>())
                    .build());
        }
        return tasks;
    }

    /** The size hint the router classifies by: the most input tokens any model recorded on the prompt, else 0. */
    private static int inputTokens(ReplayIndex index, String promptId) {
        return (int) index.models().stream().map(model -> index.outcome(promptId, model))
                .flatMap(Optional::stream).map(RecordedOutcome::inputTokens).filter(Objects::nonNull)
                .mapToLong(Long::longValue).max().orElse(0L);
    }
}
