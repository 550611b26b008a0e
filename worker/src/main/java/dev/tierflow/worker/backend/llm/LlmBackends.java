package dev.tierflow.worker.backend.llm;

import dev.tierflow.worker.backend.ModelBackend;
import java.time.Clock;
import java.util.Map;

/** Builds the backend a tier's {@link LlmBackendSettings} describe. */
public final class LlmBackends {

    private LlmBackends() {
    }

    /**
     * The {@code openai} or {@code anthropic} backend of these settings, wrapped in a {@link FallbackBackend} when
     * they name a {@code fallbackModel} (same provider, same connection).
     *
     * @param env where the API key is read from, under {@code settings.apiKeyEnv()} ({@code System.getenv()})
     * @throws InvalidBackendSettingsException when the key's environment variable is not set
     */
    public static ModelBackend create(LlmBackendSettings settings, Map<String, String> env) {
        return create(settings, env, Sleeper.REAL, Clock.systemUTC());
    }

    /** As {@link #create(LlmBackendSettings, Map)}, waiting between retries with {@code sleeper}. */
    public static ModelBackend create(LlmBackendSettings settings, Map<String, String> env, Sleeper sleeper,
                                      Clock clock) {
        ResilientCall resilience = new ResilientCall(RetryPolicy.from(settings), sleeper, clock);
        ModelBackend backend = switch (settings.type()) {
            case LlmBackendSettings.OPENAI -> new OpenAiCompatibleBackend(settings, env, resilience,
                    OpenAiCompatibleBackend.TokenLimitField.forBaseUrl(settings.baseUrl()));
            case LlmBackendSettings.ANTHROPIC -> new AnthropicBackend(settings, env, resilience);
            default -> throw new IllegalStateException("validated settings have type openai or anthropic, was "
                    + settings.type());
        };
        return settings.fallbackModel() == null ? backend
                : new FallbackBackend(backend, backend, settings.fallbackModel());
    }
}
