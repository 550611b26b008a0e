package dev.tierflow.worker.backend.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * OpenAI chat completions ({@code POST {baseUrl}/chat/completions}) and the servers that speak it: vLLM, Ollama,
 * llama.cpp server, OpenRouter. Through LangChain4j's {@link OpenAiChatModel}; see {@link ResilientCall} for retries.
 *
 * <ul>
 *   <li>The model is the request's; the prompt is sent as one user message.</li>
 *   <li>The budget goes out as {@code max_completion_tokens} to OpenAI itself (its newer models refuse
 *       {@code max_tokens}) and as {@code max_tokens} to any other server (what the compatible servers read);
 *       see {@link TokenLimitField}.</li>
 *   <li>Usage: {@code prompt_tokens} already includes the cached {@code prompt_tokens_details.cached_tokens}, so
 *       input = prompt_tokens, cached = cached_tokens (0 when not reported), output = completion_tokens.</li>
 *   <li>{@code finish_reason} length → LENGTH, stop → STOP, anything else → OTHER.</li>
 * </ul>
 */
public final class OpenAiCompatibleBackend extends ChatModelBackend {

    /** Which request field carries the output budget. */
    public enum TokenLimitField {
        /** {@code max_tokens}: what vLLM, Ollama, llama.cpp server and OpenRouter read. */
        MAX_TOKENS,
        /** {@code max_completion_tokens}: what OpenAI's own API wants (o-series and newer models refuse the other). */
        MAX_COMPLETION_TOKENS;

        /** MAX_COMPLETION_TOKENS for OpenAI's host ({@code api.openai.com}), MAX_TOKENS for any other server. */
        public static TokenLimitField forBaseUrl(String baseUrl) {
            String host = URI.create(baseUrl).getHost();
            return host != null && host.toLowerCase(Locale.ROOT).equals("api.openai.com")
                    ? MAX_COMPLETION_TOKENS : MAX_TOKENS;
        }
    }

    private final OpenAiChatModel model;
    private final TokenLimitField tokenLimitField;

    /** Reads the API key from {@code env} under the settings' {@code apiKeyEnv}; retries really wait. */
    public OpenAiCompatibleBackend(LlmBackendSettings settings, Map<String, String> env) {
        this(settings, env, ResilientCall.of(settings),
                TokenLimitField.forBaseUrl(settings.baseUrl()));
    }

    /**
     * @param resilience the retry policy and its sleeper (tests inject one that does not wait)
     * @param tokenLimitField which field carries the budget
     */
    public OpenAiCompatibleBackend(LlmBackendSettings settings, Map<String, String> env, ResilientCall resilience,
                                   TokenLimitField tokenLimitField) {
        this(settings, env, resilience, tokenLimitField, System::nanoTime);
    }

    OpenAiCompatibleBackend(LlmBackendSettings settings, Map<String, String> env, ResilientCall resilience,
                            TokenLimitField tokenLimitField, LongSupplier nanoTime) {
        super(settings, LlmBackendSettings.OPENAI, resilience, nanoTime);
        this.tokenLimitField = tokenLimitField;
        this.model = OpenAiChatModel.builder()
                .httpClientBuilder(new RetryAfterAwareHttpClient.Builder())
                .baseUrl(settings.baseUrl())
                .apiKey(apiKey(settings, env))
                .timeout(settings.timeout())
                .maxRetries(0) // ResilientCall retries, honouring retry-after
                .build();
    }

    public TokenLimitField tokenLimitField() {
        return tokenLimitField;
    }

    @Override
    ChatModel chatModel() {
        return model;
    }

    @Override
    ChatRequestParameters parameters(String modelName, int maxOutputTokens) {
        OpenAiChatRequestParameters.Builder parameters = OpenAiChatRequestParameters.builder().modelName(modelName);
        return switch (tokenLimitField) {
            case MAX_TOKENS -> parameters.maxOutputTokens(maxOutputTokens).build();
            case MAX_COMPLETION_TOKENS -> parameters.maxCompletionTokens(maxOutputTokens).build();
        };
    }

    @Override
    Usage usage(TokenUsage reported) {
        if (reported == null || reported.inputTokenCount() == null && reported.outputTokenCount() == null) {
            return null;
        }
        long cached = 0;
        if (reported instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null) {
            cached = orZero(openAi.inputTokensDetails().cachedTokens());
        }
        return new Usage(orZero(reported.inputTokenCount()), orZero(reported.outputTokenCount()), cached);
    }
}
