package dev.tierflow.policy;

import java.time.Duration;
import java.util.Map;

/**
 * How a tier's workers answer tasks: which backend, and its settings. The router ignores it.
 *
 * @param type {@code simulator} (the default), {@code replay}, {@code openai} (OpenAI-compatible chat
 *             completions: OpenAI, vLLM, Ollama, llama.cpp server, OpenRouter) or {@code anthropic}
 * @param baseUrl the API's base URL (openai, anthropic; null for the provider's default)
 * @param apiKeyEnv the environment variable holding the API key (openai, anthropic)
 * @param timeout the longest one call may take
 * @param maxRetries retries of a 429 or 5xx answer, with backoff honouring retry-after
 * @param fallbackModel a model of the same provider to use when the tier's model still fails after retries
 * @param file the recorded outcomes to replay (replay)
 * @param recordedModels tier model name → model name in the recorded file (replay)
 */
public record WorkerBackend(String type, String baseUrl, String apiKeyEnv, Duration timeout, int maxRetries,
                            String fallbackModel, String file, Map<String, String> recordedModels) {

    public static final String SIMULATOR = "simulator";
    public static final String REPLAY = "replay";
    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final int DEFAULT_MAX_RETRIES = 3;

    /** The simulator with its defaults: what a tier without a {@code backend} section gets. */
    public static WorkerBackend simulator() {
        return new WorkerBackend(SIMULATOR, null, null, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES, null, null, Map.of());
    }
}
