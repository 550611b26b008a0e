package dev.tierflow.worker.backend;

import dev.tierflow.schemas.OutputContract;

/**
 * What a worker asks of a backend for one attempt at a task.
 *
 * @param prompt the task's inline input, or null when it only has a reference
 * @param inputRef the task's input reference (a URI, an object key, or a replay prompt id), or null
 * @param inputTokensHint the task's estimated input tokens (backends that cannot count use it)
 * @param maxOutputTokens the budget: the most output tokens the model may produce
 * @param contract the output contract the worker will check, or null (a simulator may shape its output by it)
 */
public record ModelRequest(String taskId, int attempt, String tenant, String role, String taskType, String tier,
                           String provider, String model, String prompt, String inputRef, int inputTokensHint,
                           int maxOutputTokens, OutputContract contract) {
}
