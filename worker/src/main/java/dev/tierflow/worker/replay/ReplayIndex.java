package dev.tierflow.worker.replay;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Recorded outcomes by prompt id and model, loaded once and never changed, so any number of threads may read
 * it. {@link ReplayLoader} builds one from a file.
 */
public final class ReplayIndex {

    private record Prompt(String category, Map<String, RecordedOutcome> byModel) {
    }

    private final Map<String, Prompt> prompts;
    private final Set<String> models;

    private ReplayIndex(Map<String, Prompt> prompts, Set<String> models) {
        this.prompts = prompts;
        this.models = models;
    }

    public boolean hasPrompt(String promptId) {
        return prompts.containsKey(promptId);
    }

    public boolean hasModel(String model) {
        return models.contains(model);
    }

    /** What {@code model} did on {@code promptId}, if that was recorded. */
    public Optional<RecordedOutcome> outcome(String promptId, String model) {
        Prompt prompt = prompts.get(promptId);
        return prompt == null ? Optional.empty() : Optional.ofNullable(prompt.byModel().get(model));
    }

    /** The prompt's category (a RouterBench {@code eval_name}), if the file has one. */
    public Optional<String> category(String promptId) {
        Prompt prompt = prompts.get(promptId);
        return prompt == null ? Optional.empty() : Optional.ofNullable(prompt.category());
    }

    /** Every model with at least one recorded outcome, sorted. */
    public Set<String> models() {
        return models;
    }

    /** Every prompt id, sorted, so a replay sends its tasks in the same order every time. */
    public List<String> promptIds() {
        return prompts.keySet().stream().sorted().toList();
    }

    public int promptCount() {
        return prompts.size();
    }

    /** Collects outcomes row by row; refuses a (prompt, model) pair recorded twice. */
    static final class Builder {
        private final Map<String, String> categories = new HashMap<>();
        private final Map<String, Map<String, RecordedOutcome>> outcomes = new HashMap<>();
        private final Map<String, Long> firstLines = new HashMap<>();

        /** Makes the prompt known even when no model has an outcome on it. */
        void prompt(String promptId, String category) {
            outcomes.computeIfAbsent(promptId, id -> new HashMap<>());
            if (category != null) {
                categories.putIfAbsent(promptId, category);
            }
        }

        void add(ReplayRow row, String promptId, String category, RecordedOutcome outcome) {
            prompt(promptId, category);
            Long earlier = firstLines.putIfAbsent(promptId + '\u0000' + outcome.model(), row.line());
            if (earlier != null) {
                throw row.problem("prompt '" + promptId + "' and model '" + outcome.model()
                        + "' were already recorded on line " + earlier);
            }
            outcomes.get(promptId).put(outcome.model(), outcome);
        }

        ReplayIndex build() {
            Map<String, Prompt> prompts = new HashMap<>();
            Set<String> models = new TreeSet<>();
            outcomes.forEach((id, byModel) -> {
                prompts.put(id, new Prompt(categories.get(id), Map.copyOf(byModel)));
                models.addAll(byModel.keySet());
            });
            return new ReplayIndex(Map.copyOf(prompts), Collections.unmodifiableSet(models));
        }
    }
}
