package dev.tierflow.testing;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds valid {@link AgentTask}s with readable defaults; tests change only what their story is about. */
public final class TaskBuilder {

    private final AgentTask.Builder task = AgentTask.newBuilder()
            .setRunId("run-1")
            .setTenant("acme")
            .setRole("worker")
            .setTaskType("extract")
            .setInputText("Extract the invoice number.")
            .setInputTokens(120)
            .setAttempt(0)
            .setCreatedAt(TestInstants.BEGINNING);
    private final Map<String, String> attributes = new HashMap<>();

    private TaskBuilder(String taskId) {
        task.setTaskId(taskId);
    }

    public static TaskBuilder task(String taskId) {
        return new TaskBuilder(taskId);
    }

    public TaskBuilder run(String runId) {
        task.setRunId(runId);
        return this;
    }

    public TaskBuilder tenant(String tenant) {
        task.setTenant(tenant);
        return this;
    }

    public TaskBuilder role(String role) {
        task.setRole(role);
        return this;
    }

    public TaskBuilder type(String taskType) {
        task.setTaskType(taskType);
        return this;
    }

    public TaskBuilder inputTokens(int tokens) {
        task.setInputTokens(tokens);
        return this;
    }

    public TaskBuilder requestedMaxOutputTokens(Integer tokens) {
        task.setRequestedMaxOutputTokens(tokens);
        return this;
    }

    public TaskBuilder attribute(String key, String value) {
        attributes.put(key, value);
        return this;
    }

    public TaskBuilder contract(OutputContract contract) {
        task.setOutputContract(contract);
        return this;
    }

    /** An escalation: the given attempt, re-submitted after the tier {@code from} failed. */
    public TaskBuilder escalatedFrom(String from, int attempt) {
        task.setEscalatedFromTier(from);
        task.setAttempt(attempt);
        return this;
    }

    public TaskBuilder attempt(int attempt) {
        task.setAttempt(attempt);
        return this;
    }

    public TaskBuilder createdAt(Instant at) {
        task.setCreatedAt(at);
        return this;
    }

    public AgentTask build() {
        return task.setAttributes(new HashMap<>(attributes)).build();
    }
}
