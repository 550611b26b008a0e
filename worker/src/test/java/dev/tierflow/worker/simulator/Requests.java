package dev.tierflow.worker.simulator;

import dev.tierflow.schemas.OutputContract;
import dev.tierflow.worker.backend.ModelRequest;
import java.util.List;

/** Readable model requests for simulator tests; each test changes only what its story is about. */
final class Requests {

    private Requests() {
    }

    static ModelRequest request(String taskId, String tier, String role, String taskType) {
        return new ModelRequest(taskId, 0, "acme", role, taskType, tier, "anthropic", "model-of-" + tier,
                "Extract the invoice number.", null, 120, 512, null);
    }

    static ModelRequest withAttempt(ModelRequest r, int attempt) {
        return new ModelRequest(r.taskId(), attempt, r.tenant(), r.role(), r.taskType(), r.tier(), r.provider(),
                r.model(), r.prompt(), r.inputRef(), r.inputTokensHint(), r.maxOutputTokens(), r.contract());
    }

    static ModelRequest withTier(ModelRequest r, String tier) {
        return new ModelRequest(r.taskId(), r.attempt(), r.tenant(), r.role(), r.taskType(), tier, r.provider(),
                r.model(), r.prompt(), r.inputRef(), r.inputTokensHint(), r.maxOutputTokens(), r.contract());
    }

    static ModelRequest withBudget(ModelRequest r, int maxOutputTokens) {
        return new ModelRequest(r.taskId(), r.attempt(), r.tenant(), r.role(), r.taskType(), r.tier(), r.provider(),
                r.model(), r.prompt(), r.inputRef(), r.inputTokensHint(), maxOutputTokens, r.contract());
    }

    static ModelRequest withInput(ModelRequest r, String prompt, int inputTokensHint) {
        return new ModelRequest(r.taskId(), r.attempt(), r.tenant(), r.role(), r.taskType(), r.tier(), r.provider(),
                r.model(), prompt, r.inputRef(), inputTokensHint, r.maxOutputTokens(), r.contract());
    }

    static ModelRequest withContract(ModelRequest r, OutputContract contract) {
        return new ModelRequest(r.taskId(), r.attempt(), r.tenant(), r.role(), r.taskType(), r.tier(), r.provider(),
                r.model(), r.prompt(), r.inputRef(), r.inputTokensHint(), r.maxOutputTokens(), contract);
    }

    static OutputContract fields(Integer maxLength, String... requiredFields) {
        return OutputContract.newBuilder().setRequiredFields(List.of(requiredFields)).setMaxLength(maxLength).build();
    }
}
