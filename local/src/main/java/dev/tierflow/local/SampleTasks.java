package dev.tierflow.local;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A small burst of one multi-agent run's tasks, good and bad, to show where the router sends each. */
final class SampleTasks {

    /** A sample: either a task, or raw bytes that are not a task. */
    record Sample(String id, String description, AgentTask task, byte[] raw) {
    }

    /** Mechanical steps come with a deterministic check; a worker escalates a task whose output fails it. */
    private static final Map<String, OutputContract> CONTRACTS = Map.of(
            "extract", new OutputContract(null, List.of("invoiceNumber", "total"), null, 2_000, null),
            "move-file", new OutputContract(null, List.of("path", "newName"), null, 500, null));

    private SampleTasks() {
    }

    static List<Sample> run(String runId, Instant now) {
        return List.of(
                good(runId, now, "plan", "planner", "plan", 3_000, Map.of(), "acme", null, 0),
                good(runId, now, "extract-1", "worker", "extract", 900, Map.of(), "acme", null, 0),
                good(runId, now, "extract-2", "worker", "extract", 1_100, Map.of(), "acme", null, 0),
                good(runId, now, "summarize", "worker", "summarize", 6_000, Map.of(), "acme", null, 0),
                good(runId, now, "critique", "critic", "review", 2_500, Map.of("tierflow.hint", "needs-reasoning"), "acme", null, 0),
                good(runId, now, "move-file", "file-ops", "move-file", 40, Map.of(), "acme", null, 0),
                good(runId, now, "label", "reviewer", "classify", 300, Map.of(), "acme", null, 0),
                good(runId, now, "read-contract", "researcher", "read", 45_000, Map.of(), "acme", null, 0),
                good(runId, now, "health-extract", "worker", "extract", 800, Map.of(), "acme-health", null, 0),
                good(runId, now, "extract-retry", "worker", "extract", 900, Map.of(), "acme", "mid", 1),
                good(runId, now, "bad-size", "worker", "extract", -1, Map.of(), "acme", null, 0),
                new Sample(runId + "-not-avro", "bytes that are not a task", null, "{\"oops\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Sample good(String runId, Instant now, String name, String role, String type, int inputTokens,
                               Map<String, String> attributes, String tenant, String escalatedFrom, int attempt) {
        String id = runId + "-" + name;
        AgentTask task = AgentTask.newBuilder()
                .setTaskId(id).setRunId(runId).setTenant(tenant).setRole(role).setTaskType(type)
                .setInputRef("sample://" + name).setInputTokens(inputTokens)
                .setAttempt(attempt).setEscalatedFromTier(escalatedFrom)
                .setCreatedAt(now).setAttributes(Map.copyOf(attributes))
                .setOutputContract(CONTRACTS.get(type))
                .build();
        String description = tenant + "/" + role + "/" + type + " (" + inputTokens + " tokens"
                + (escalatedFrom == null ? "" : ", failed on " + escalatedFrom) + ")";
        return new Sample(id, description, task, null);
    }
}
