package dev.tierflow.local.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tierflow.router.decision.RejectedTaskException;
import dev.tierflow.schemas.AgentTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * AgentTasks from JSONL, all or nothing: every line is read and checked before any is used, and each
 * problem is reported as {@code line N: reason} (N counts from 1, blank lines included, blank lines skipped).
 */
public final class TaskLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tasks of a file without problems, or the problems (then {@code tasks} is empty). */
    public record Result(List<AgentTask> tasks, List<String> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private TaskLines() {
    }

    /**
     * @param lines            the file's lines
     * @param defaultCreatedAt the {@code createdAt} of tasks without one
     * @param validator        the router's checks; throws {@link RejectedTaskException} for a task it would dead-letter
     */
    public static Result parse(List<String> lines, Instant defaultCreatedAt, Consumer<AgentTask> validator) {
        List<AgentTask> tasks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> lineProblems = new ArrayList<>();
            AgentTask task = read(line, defaultCreatedAt, validator, lineProblems);
            if (task != null) {
                tasks.add(task);
            }
            int number = i + 1;
            lineProblems.forEach(problem -> problems.add("line " + number + ": " + problem));
        }
        return new Result(problems.isEmpty() ? tasks : List.of(), problems);
    }

    private static AgentTask read(String line, Instant defaultCreatedAt, Consumer<AgentTask> validator, List<String> problems) {
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            problems.add("not valid JSON: " + e.getOriginalMessage());
            return null;
        }
        AgentTask task = TaskJson.read(json, defaultCreatedAt, problems);
        if (task == null) {
            return null;
        }
        try {
            validator.accept(task);
            return task;
        } catch (RejectedTaskException e) {
            problems.add(e.getMessage());
            return null;
        }
    }
}
