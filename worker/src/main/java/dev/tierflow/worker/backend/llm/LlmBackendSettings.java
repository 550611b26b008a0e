package dev.tierflow.worker.backend.llm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a tier reaches its model over HTTP. Validated on construction: every problem is named by its field in one
 * {@link InvalidBackendSettingsException}. Absent values (null) get the defaults below, so a policy reader may pass
 * what the file says and nothing more.
 *
 * @param type {@value #OPENAI} (OpenAI chat completions and compatible servers: vLLM, Ollama, llama.cpp server,
 *             OpenRouter) or {@value #ANTHROPIC} (Anthropic Messages); case-insensitive, stored lower-case
 * @param baseUrl the API's base URL, up to and including the version ({@code http://localhost:11434/v1});
 *                null for the provider's own ({@value #OPENAI_DEFAULT_BASE_URL}, {@value #ANTHROPIC_DEFAULT_BASE_URL})
 * @param apiKeyEnv the environment variable holding the API key; required for anthropic, optional for openai
 *                  (local servers need none: no {@code Authorization} header is sent)
 * @param timeout the longest one HTTP attempt may take, connecting included (default 60 s); retries each get it anew
 * @param maxRetries how many times a retriable failure (429, 5xx, timeout, unreachable server) is retried: a call
 *                   makes at most {@code maxRetries + 1} attempts. 0 to 10; a policy reader should pass
 *                   {@link #DEFAULT_MAX_RETRIES} when the file says nothing
 * @param baseDelay the wait before the first retry, doubled for each further one (default 500 ms)
 * @param maxDelay the longest wait between two attempts (default 30 s); a {@code retry-after} asking for more
 *                 fails the call at once instead (so a fallback, or the worker, can act)
 * @param fallbackModel a model of the same provider tried once when the tier's model still fails after its retries,
 *                      recorded on the span; null for none
 */
public record LlmBackendSettings(String type, String baseUrl, String apiKeyEnv, Duration timeout, int maxRetries,
                                 Duration baseDelay, Duration maxDelay, String fallbackModel) {

    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";
    public static final String OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com/v1/";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int MAX_MAX_RETRIES = 10;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public LlmBackendSettings {
        List<String> problems = new ArrayList<>();
        type = type == null ? null : type.trim().toLowerCase(Locale.ROOT);
        if (!OPENAI.equals(type) && !ANTHROPIC.equals(type)) {
            problems.add("type: must be " + OPENAI + " or " + ANTHROPIC + ", was "
                    + (type == null ? "missing" : "'" + type + "'"));
        }
        if (baseUrl == null) {
            baseUrl = ANTHROPIC.equals(type) ? ANTHROPIC_DEFAULT_BASE_URL : OPENAI_DEFAULT_BASE_URL;
        } else if (!isHttpUrl(baseUrl)) {
            problems.add("baseUrl: must be an absolute http or https URL such as http://localhost:11434/v1, was '"
                    + baseUrl + "'");
        }
        if (apiKeyEnv != null && !ENV_NAME.matcher(apiKeyEnv).matches()) {
            // never echo it: a key pasted here instead of a variable name must not end up in a log
            problems.add("apiKeyEnv: must name an environment variable (letters, digits and _, not starting with a"
                    + " digit), not hold the key itself");
        }
        if (apiKeyEnv == null && ANTHROPIC.equals(type)) {
            problems.add("apiKeyEnv: required for anthropic: the environment variable holding the API key, such as"
                    + " ANTHROPIC_API_KEY");
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            problems.add("timeout: must be positive, was " + timeout);
        }
        if (maxRetries < 0 || maxRetries > MAX_MAX_RETRIES) {
            problems.add("maxRetries: must be between 0 and " + MAX_MAX_RETRIES + ", was " + maxRetries);
        }
        baseDelay = baseDelay == null ? DEFAULT_BASE_DELAY : baseDelay;
        maxDelay = maxDelay == null ? DEFAULT_MAX_DELAY : maxDelay;
        if (baseDelay.isNegative() || baseDelay.isZero()) {
            problems.add("baseDelay: must be positive, was " + baseDelay);
        } else if (maxDelay.compareTo(baseDelay) < 0) {
            problems.add("maxDelay: must be at least baseDelay (" + baseDelay + "), was " + maxDelay);
        }
        if (fallbackModel != null && fallbackModel.isBlank()) {
            problems.add("fallbackModel: must not be blank (leave it out for no fallback)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidBackendSettingsException(problems);
        }
    }

    /** OpenAI or a compatible server at {@code baseUrl} (null: OpenAI's), with the default timeout and retries. */
    public static LlmBackendSettings openAi(String baseUrl, String apiKeyEnv) {
        return new LlmBackendSettings(OPENAI, baseUrl, apiKeyEnv, null, DEFAULT_MAX_RETRIES, null, null, null);
    }

    /** Anthropic's API with the default timeout and retries. */
    public static LlmBackendSettings anthropic(String apiKeyEnv) {
        return new LlmBackendSettings(ANTHROPIC, null, apiKeyEnv, null, DEFAULT_MAX_RETRIES, null, null, null);
    }

    public LlmBackendSettings withBaseUrl(String newBaseUrl) {
        return new LlmBackendSettings(type, newBaseUrl, apiKeyEnv, timeout, maxRetries, baseDelay, maxDelay,
                fallbackModel);
    }

    public LlmBackendSettings withTimeout(Duration newTimeout) {
        return new LlmBackendSettings(type, baseUrl, apiKeyEnv, newTimeout, maxRetries, baseDelay, maxDelay,
                fallbackModel);
    }

    public LlmBackendSettings withRetries(int newMaxRetries, Duration newBaseDelay, Duration newMaxDelay) {
        return new LlmBackendSettings(type, baseUrl, apiKeyEnv, timeout, newMaxRetries, newBaseDelay, newMaxDelay,
                fallbackModel);
    }

    public LlmBackendSettings withFallbackModel(String newFallbackModel) {
        return new LlmBackendSettings(type, baseUrl, apiKeyEnv, timeout, maxRetries, baseDelay, maxDelay,
                newFallbackModel);
    }

    /** The most attempts one call makes: the first and its retries. */
    public int maxAttempts() {
        return maxRetries + 1;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
