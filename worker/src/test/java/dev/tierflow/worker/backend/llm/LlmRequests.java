package dev.tierflow.worker.backend.llm;

import dev.tierflow.worker.backend.ModelRequest;

/** Requests as a worker would make them. */
final class LlmRequests {

    static final String PROMPT = "Extract the invoice number from: INV-2041, total 99.50 EUR";

    private LlmRequests() {
    }

    static ModelRequest request(String provider, String model, int budget) {
        return new ModelRequest("task-1", 0, "acme", "worker", "extract", "mid", provider, model, PROMPT, null, 0,
                budget, null);
    }

    static ModelRequest withoutPrompt(String provider, String model) {
        return new ModelRequest("task-2", 0, "acme", "worker", "extract", "mid", provider, model, null,
                "s3://bucket/doc-7", 900, 256, null);
    }
}
