package dev.tierflow.worker.replay;

import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers from recorded outcomes (RouterBench and the like), so a routing policy can be evaluated on real
 * benchmark data without calling a model. The task's {@code inputRef} is the prompt id; the tier's model name
 * is looked up as is, or through the mapping given at construction (TierFlow model name to recorded model
 * name, e.g. {@code claude-haiku-4-5 -> claude-instant-v1}).
 *
 * <p>The response: the recorded text (or a placeholder naming prompt and model); quality = the score clamped
 * to [0,1]; the recorded cost in micro-dollars (USD rounded half-even, see {@link RecordedOutcome}), else null
 * so the worker prices the tokens; the recorded token counts, else the request's input hint and 0 output
 * tokens; the recorded latency, else 0; always {@link FinishReason#STOP}: the recording was made without the
 * task's budget, so the budget is not applied to it.
 *
 * <p>An unknown prompt or model, or a pair without a recorded outcome, is a {@link ModelCallException} of kind
 * NOT_FOUND naming which.
 */
public final class ReplayModelBackend implements ModelBackend {

    private static final int MODELS_LISTED = 20;

    private final ReplayIndex index;
    private final Map<String, String> recordedModelNames;

    /**
     * @param recordedModelNames TierFlow model name to recorded model name; unmapped names are looked up as
     *                           they are. Every mapped-to name must be a model of the index.
     * @throws IllegalArgumentException when a mapping names a model the index does not have
     */
    public ReplayModelBackend(ReplayIndex index, Map<String, String> recordedModelNames) {
        this.index = index;
        this.recordedModelNames = Map.copyOf(recordedModelNames);
        this.recordedModelNames.forEach((tierflowModel, recorded) -> {
            if (!index.hasModel(recorded)) {
                throw new IllegalArgumentException("model mapping " + tierflowModel + " -> " + recorded
                        + ": the replay has no model '" + recorded + "' (models: " + knownModels() + ")");
            }
        });
    }

    /** Loads a replay file (format and layout detected) and answers from it. */
    public static ReplayModelBackend fromFile(Path file, Map<String, String> recordedModelNames) {
        return new ReplayModelBackend(ReplayLoader.load(file, ReplayOptions.detect()), recordedModelNames);
    }

    public ReplayIndex index() {
        return index;
    }

    @Override
    public ModelResponse call(ModelRequest request) throws ModelCallException {
        String promptId = request.inputRef();
        if (promptId == null || promptId.isBlank()) {
            throw new ModelCallException(ModelCallException.Kind.INVALID_REQUEST,
                    "a replayed task needs an inputRef naming the recorded prompt id");
        }
        String model = request.model() == null ? null : recordedModelNames.getOrDefault(request.model(), request.model());
        RecordedOutcome outcome = outcome(promptId, model, request.model());
        return new ModelResponse(
                outcome.response() != null ? outcome.response() : "[replay of " + model + " on prompt " + promptId + "]",
                request.model(), request.provider(), null,
                outcome.inputTokens() != null ? outcome.inputTokens() : Math.max(0, request.inputTokensHint()),
                outcome.outputTokens() != null ? outcome.outputTokens() : 0L,
                0L, FinishReason.STOP,
                outcome.score() == null ? null : Math.max(0.0, Math.min(1.0, outcome.score())),
                outcome.costMicros(),
                outcome.latencyMs() != null ? outcome.latencyMs() : 0L);
    }

    private RecordedOutcome outcome(String promptId, String model, String tierflowModel) throws ModelCallException {
        List<String> missing = new ArrayList<>(2);
        if (!index.hasPrompt(promptId)) {
            missing.add("no prompt '" + promptId + "'");
        }
        if (model == null || !index.hasModel(model)) {
            String mapped = model != null && !model.equals(tierflowModel) ? ", mapped from '" + tierflowModel + "'" : "";
            missing.add("no model '" + model + "'" + mapped + " (models: " + knownModels() + ")");
        }
        if (!missing.isEmpty()) {
            throw new ModelCallException(ModelCallException.Kind.NOT_FOUND, "the replay has " + String.join(" and ", missing));
        }
        return index.outcome(promptId, model).orElseThrow(() -> new ModelCallException(ModelCallException.Kind.NOT_FOUND,
                "the replay has no outcome of model '" + model + "' on prompt '" + promptId + "'"));
    }

    private String knownModels() {
        String shown = String.join(", ", index.models().stream().limit(MODELS_LISTED).toList());
        return index.models().size() > MODELS_LISTED ? shown + ", ... (" + index.models().size() + " in all)" : shown;
    }
}
