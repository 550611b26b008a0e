package dev.tierflow.worker.backend.llm;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelCallException.Kind;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both LangChain4j backends share: checking the request, one {@link ChatModel} call (the prompt as one user
 * message, the model and the budget as request parameters) through the {@link ResilientCall}, and the response.
 */
abstract class ChatModelBackend implements ModelBackend {

    private static final Logger LOG = LoggerFactory.getLogger(ChatModelBackend.class);
    /** For the rare server that reports no usage: the usual rule of thumb for English text. */
    private static final int CHARS_PER_TOKEN = 4;

    private final LlmBackendSettings settings;
    private final ResilientCall resilience;
    private final LongSupplier nanoTime;
    private final AtomicBoolean warnedNoUsage = new AtomicBoolean();

    ChatModelBackend(LlmBackendSettings settings, String expectedType, ResilientCall resilience,
                     LongSupplier nanoTime) {
        if (!expectedType.equals(settings.type())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs settings of type " + expectedType
                    + ", was " + settings.type());
        }
        this.settings = settings;
        this.resilience = resilience;
        this.nanoTime = nanoTime;
    }

    /** The settings this backend was built from. */
    public LlmBackendSettings settings() {
        return settings;
    }

    abstract ChatModel chatModel();

    /** The request parameters: the model and the output budget, in the provider's terms. */
    abstract ChatRequestParameters parameters(String model, int maxOutputTokens);

    /** The usage the provider reported, with cached tokens counted inside the input tokens; null if none. */
    abstract Usage usage(TokenUsage reported);

    @Override
    public ModelResponse call(ModelRequest request) throws ModelCallException {
        check(request);
        ChatRequest chatRequest = ChatRequest.builder()
                .messages(UserMessage.from(request.prompt()))
                .parameters(parameters(request.model(), request.maxOutputTokens()))
                .build();
        // the URL as messages and logs show it: without a password in its userinfo
        String target = settings.type() + " model " + request.model() + " at " + SecretRedaction.redact(settings.baseUrl());

        long start = nanoTime.getAsLong();
        ChatResponse response = resilience.call(target, () -> chatModel().chat(chatRequest));
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start);

        String text = response.aiMessage() == null || response.aiMessage().text() == null
                ? "" : response.aiMessage().text();
        Usage usage = usage(response.tokenUsage());
        if (usage == null) {
            usage = estimate(request, text);
        }
        String provider = request.provider() == null ? settings.type() : request.provider();
        return new ModelResponse(text, request.model(), provider, null, usage.input(), usage.output(),
                usage.cached(), finishReason(response.finishReason()), null, null, latencyMs);
    }

    private void check(ModelRequest request) throws ModelCallException {
        if (request.prompt() == null || request.prompt().isEmpty()) {
            throw new ModelCallException(Kind.INVALID_REQUEST, "task " + request.taskId() + " has no inline prompt"
                    + (request.inputRef() == null ? "" : " (only the input reference " + request.inputRef() + ")")
                    + ": the " + settings.type() + " backend sends ModelRequest.prompt to the model");
        }
        if (request.model() == null || request.model().isBlank()) {
            throw new ModelCallException(Kind.INVALID_REQUEST, "task " + request.taskId() + " names no model");
        }
        if (request.maxOutputTokens() < 1) {
            throw new ModelCallException(Kind.INVALID_REQUEST,
                    "maxOutputTokens must be at least 1, was " + request.maxOutputTokens());
        }
    }

    private static FinishReason finishReason(dev.langchain4j.model.output.FinishReason reason) {
        if (reason == null) {
            return FinishReason.OTHER;
        }
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            default -> FinishReason.OTHER;
        };
    }

    /** Without reported usage: the task's own estimate for the input, the text's length for the output. */
    private Usage estimate(ModelRequest request, String text) {
        if (warnedNoUsage.compareAndSet(false, true)) {
            LOG.warn("{} at {} reports no token usage; estimating tokens from text length (logged once)",
                    settings.type(), SecretRedaction.redact(settings.baseUrl()));
        }
        long input = request.inputTokensHint() > 0 ? request.inputTokensHint() : tokensOf(request.prompt());
        return new Usage(input, tokensOf(text), 0);
    }

    private static long tokensOf(String text) {
        return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    static long orZero(Integer count) {
        return count == null ? 0 : Math.max(0, count);
    }

    static String apiKey(LlmBackendSettings settings, Map<String, String> env) {
        if (settings.apiKeyEnv() == null) {
            return null;
        }
        String key = env.get(settings.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw new InvalidBackendSettingsException(List.of("apiKeyEnv: the environment variable "
                    + settings.apiKeyEnv() + " is not set (it should hold the " + settings.type() + " API key)"));
        }
        return key.strip();
    }

    /**
     * Token counts as the span wants them.
     *
     * @param input all input tokens, cached ones included
     * @param cached the part of {@code input} read from the provider's prompt cache
     */
    record Usage(long input, long output, long cached) {
        Usage {
            cached = Math.min(cached, input);
        }
    }
}
