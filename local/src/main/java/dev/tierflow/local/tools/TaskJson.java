package dev.tierflow.local.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;

/**
 * One AgentTask from a JSON object with the schema's field names and plain JSON values ({@code "attempt": 1},
 * not Avro JSON's {@code {"int": 1}}). Type problems are collected, every one of them, rather than thrown at
 * the first, so a user fixes a line once; whether the values make a routable task is the router's
 * {@code TaskValidator}'s to say, not this class's.
 */
final class TaskJson {

    private final Instant defaultCreatedAt;
    private final List<String> problems = new ArrayList<>();

    private TaskJson(Instant defaultCreatedAt) {
        this.defaultCreatedAt = defaultCreatedAt;
    }

    /** The task the object describes, or null with {@code problems} filled in. */
    static AgentTask read(JsonNode json, Instant defaultCreatedAt, List<String> problems) {
        TaskJson reader = new TaskJson(defaultCreatedAt);
        AgentTask task = reader.task(json);
        problems.addAll(reader.problems);
        return reader.problems.isEmpty() ? task : null;
    }

    private AgentTask task(JsonNode json) {
        if (!json.isObject()) {
            problems.add("expected a JSON object, got " + json.getNodeType().toString().toLowerCase());
            return null;
        }
        // setters rather than the builder: the builder refuses a missing required field before the validator can name it
        AgentTask task = new AgentTask();
        task.setInputTokens(0);
        task.setAttempt(0);
        task.setAttributes(new LinkedHashMap<>());
        task.setCreatedAt(defaultCreatedAt);
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            set(task, field.getKey(), field.getValue());
        }
        return task;
    }

    private void set(AgentTask task, String name, JsonNode value) {
        switch (name) {
            case "taskId" -> text(name, value, task::setTaskId);
            case "runId" -> text(name, value, task::setRunId);
            case "parentTaskId" -> text(name, value, task::setParentTaskId);
            case "tenant" -> text(name, value, task::setTenant);
            case "role" -> text(name, value, task::setRole);
            case "taskType" -> text(name, value, task::setTaskType);
            case "inputText" -> text(name, value, task::setInputText);
            case "inputRef" -> text(name, value, task::setInputRef);
            case "escalatedFromTier" -> text(name, value, task::setEscalatedFromTier);
            case "inputTokens" -> integer(name, value, task::setInputTokens, true);
            case "attempt" -> integer(name, value, task::setAttempt, true);
            case "requestedMaxOutputTokens" -> integer(name, value, task::setRequestedMaxOutputTokens, false);
            case "createdAt" -> instant(name, value, task::setCreatedAt);
            case "attributes" -> attributes(name, value, task::setAttributes);
            case "outputContract" -> contract(name, value, task::setOutputContract);
            default -> problems.add("unknown field '" + name + "' (AgentTask has " + fieldNames(AgentTask.getClassSchema()) + ")");
        }
    }

    private void text(String name, JsonNode value, Consumer<String> setter) {
        if (value.isNull()) {
            setter.accept(null);
        } else if (value.isTextual()) {
            setter.accept(value.textValue());
        } else {
            problems.add(name + " must be a string, was " + value);
        }
    }

    private void integer(String name, JsonNode value, Consumer<Integer> setter, boolean required) {
        if (value.isNull() && !required) {
            setter.accept(null);
        } else if (value.isIntegralNumber() && value.canConvertToInt()) {
            setter.accept(value.intValue());
        } else {
            problems.add(name + " must be an integer" + (required ? "" : " or null") + ", was " + value);
        }
    }

    private void instant(String name, JsonNode value, Consumer<Instant> setter) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            setter.accept(Instant.ofEpochMilli(value.longValue()));
        } else if (value.isTextual()) {
            try {
                setter.accept(Instant.parse(value.textValue()));
            } catch (DateTimeParseException e) {
                problems.add(name + " must be ISO-8601 (2026-11-23T10:15:30Z) or epoch millis, was " + value);
            }
        } else {
            problems.add(name + " must be ISO-8601 (2026-11-23T10:15:30Z) or epoch millis, was " + value);
        }
    }

    private void attributes(String name, JsonNode value, Consumer<Map<String, String>> setter) {
        if (!value.isObject()) {
            problems.add(name + " must be an object of strings, was " + value);
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        value.fields().forEachRemaining(entry -> text(name + "." + entry.getKey(), entry.getValue(), v -> attributes.put(entry.getKey(), v)));
        if (attributes.containsValue(null)) {
            problems.add(name + " values must not be null");
        }
        setter.accept(attributes);
    }

    private void contract(String name, JsonNode value, Consumer<OutputContract> setter) {
        if (value.isNull()) {
            setter.accept(null);
            return;
        }
        if (!value.isObject()) {
            problems.add(name + " must be an object, was " + value);
            return;
        }
        OutputContract contract = new OutputContract();
        contract.setRequiredFields(new ArrayList<>());
        value.fields().forEachRemaining(entry -> {
            String field = name + "." + entry.getKey();
            switch (entry.getKey()) {
                case "jsonSchema" -> text(field, entry.getValue(), contract::setJsonSchema);
                case "regex" -> text(field, entry.getValue(), contract::setRegex);
                case "maxLength" -> integer(field, entry.getValue(), contract::setMaxLength, false);
                case "requiredFields" -> strings(field, entry.getValue(), contract::setRequiredFields);
                default -> problems.add("unknown field '" + field + "' (OutputContract has " + fieldNames(OutputContract.getClassSchema()) + ")");
            }
        });
        setter.accept(contract);
    }

    private void strings(String name, JsonNode value, Consumer<List<String>> setter) {
        List<String> strings = new ArrayList<>();
        if (!value.isArray()) {
            problems.add(name + " must be an array of strings, was " + value);
            return;
        }
        value.forEach(item -> text(name + "[]", item, strings::add));
        setter.accept(strings);
    }

    private static String fieldNames(Schema schema) {
        return String.join(", ", schema.getFields().stream().map(Schema.Field::name).toList());
    }
}
