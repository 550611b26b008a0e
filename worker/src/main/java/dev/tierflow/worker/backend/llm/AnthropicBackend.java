package dev.tierflow.worker.backend.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicChatRequestParameters;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Anthropic Messages ({@code POST {baseUrl}/messages}) through LangChain4j's {@link AnthropicChatModel}; see {@link
 * ResilientCall} for retries.
 *
 * <ul>
 *   <li>The model is the request's; the prompt is sent as one user message; {@code max_tokens} is the budget.</li>
 *   <li>Usage: Anthropic's {@code input_tokens} counts only the input after the last cache breakpoint: it excludes
 *       both {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}. So input =
 *       input_tokens + cache_read_input_tokens + cache_creation_input_tokens (every input token the model read),
 *       cached = cache_read_input_tokens. (Cache writes are priced above the input price by Anthropic; the price
 *       catalog has no such price, so they are counted as plain input.)</li>
 *   <li>{@code stop_reason} max_tokens → LENGTH; end_turn and stop_sequence → STOP; anything else → OTHER.</li>
 * </ul>
 */
public final class AnthropicBackend extends ChatModelBackend {

    private final AnthropicChatModel model;

    /** Reads the API key from {@code env} under the settings' {@code apiKeyEnv}; retries really wait. */
    public AnthropicBackend(LlmBackendSettings settings, Map<String, String> env) {
        this(settings, env, ResilientCall.of(settings));
    }

    /** @param resilience the retry policy and its sleeper (tests inject one that does not wait) */
    public AnthropicBackend(LlmBackendSettings settings, Map<String, String> env, ResilientCall resilience) {
        this(settings, env, resilience, System::nanoTime);
    }

    AnthropicBackend(LlmBackendSettings settings, Map<String, String> env, ResilientCall resilience,
                     LongSupplier nanoTime) {
        super(settings, LlmBackendSettings.ANTHROPIC, resilience, nanoTime);
        this.model = AnthropicChatModel.builder()
                .httpClientBuilder(new RetryAfterAwareHttpClient.Builder())
                .baseUrl(settings.baseUrl())
                .apiKey(apiKey(settings, env))
                .timeout(settings.timeout())
                .maxRetries(0) // ResilientCall retries, honouring retry-after
                .build();
    }

    @Override
    ChatModel chatModel() {
        return model;
    }

    @Override
    ChatRequestParameters parameters(String modelName, int maxOutputTokens) {
        return AnthropicChatRequestParameters.builder().modelName(modelName).maxOutputTokens(maxOutputTokens).build();
    }

    @Override
    Usage usage(TokenUsage reported) {
        if (reported == null || reported.inputTokenCount() == null && reported.outputTokenCount() == null) {
            return null;
        }
        long uncached = orZero(reported.inputTokenCount());
        long cacheRead = 0;
        long cacheWrite = 0;
        if (reported instanceof AnthropicTokenUsage anthropic) {
            cacheRead = orZero(anthropic.cacheReadInputTokens());
            cacheWrite = orZero(anthropic.cacheCreationInputTokens());
        }
        return new Usage(uncached + cacheRead + cacheWrite, orZero(reported.outputTokenCount()), cacheRead);
    }
}
