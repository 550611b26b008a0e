package dev.tierflow.worker.backend.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.tierflow.worker.backend.llm.LlmRequests.PROMPT;
import static dev.tierflow.worker.backend.llm.LlmRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelCallException.Kind;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.backend.llm.OpenAiCompatibleBackend.TokenLimitField;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAI-compatible backend against a local server speaking the chat completions wire format. */
class OpenAiCompatibleBackendTest {

    @RegisterExtension
    static final WireMockExtension SERVER = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .build();

    private static final String PATH = "/v1/chat/completions";
    private static final String MODEL = "gpt-4o-mini";
    private static final String KEY_ENV = "TEST_OPENAI_KEY";
    private static final Map<String, String> ENV = Map.of(KEY_ENV, "sk-test-123");
    private static final Duration BASE_DELAY = Duration.ofMillis(200);

    private final RecordingSleeper sleeper = new RecordingSleeper();

    @Test
    void answersWithTheUsageTheServerReportsAndSendsTheModelAndTheBudget() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(completion("INV-2041", "stop", 1200, 35, 1024))
                .withFixedDelay(120)));

        ModelResponse response = backend(settings()).call(request("openai", MODEL, 256));

        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(response.model()).isEqualTo(MODEL);
        assertThat(response.provider()).isEqualTo("openai");
        assertThat(response.fallbackFrom()).isNull();
        assertThat(response.inputTokens()).isEqualTo(1200); // prompt_tokens already includes the cached ones
        assertThat(response.cachedInputTokens()).isEqualTo(1024);
        assertThat(response.outputTokens()).isEqualTo(35);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.quality()).isNull();
        assertThat(response.recordedCostMicros()).isNull();
        assertThat(response.latencyMs()).isGreaterThanOrEqualTo(120);
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer sk-test-123"))
                .withoutHeader("Upgrade") // plain HTTP/1.1 to a local server, no h2c upgrade
                .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("256")))
                .withRequestBody(notContaining("max_completion_tokens"))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo(PROMPT))));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void usageWithoutCacheDetailsHasNoCachedTokens() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(completion("INV-2041", "stop", 300, 12, null))));

        ModelResponse response = backend(settings()).call(request("vllm", "Qwen/Qwen2.5-7B-Instruct", 64));

        assertThat(response.inputTokens()).isEqualTo(300);
        assertThat(response.cachedInputTokens()).isZero();
        assertThat(response.outputTokens()).isEqualTo(12);
        assertThat(response.provider()).isEqualTo("vllm");
    }

    @Test
    void aLocalServerWithoutKeyGetsNoAuthorizationHeader() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(completion("ok", "stop", 10, 1, null))));
        LlmBackendSettings noKey = new LlmBackendSettings("openai", SERVER.baseUrl() + "/v1", null,
                Duration.ofSeconds(5), 0, null, null, null);

        backend(noKey).call(request("ollama", "llama3.2", 16));

        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH)).withoutHeader("Authorization"));
    }

    @Test
    void theBudgetGoesAsMaxCompletionTokensWhereThatIsTheField() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(completion("ok", "stop", 10, 1, null))));
        LlmBackendSettings settings = settings();
        ModelBackend backend = new OpenAiCompatibleBackend(settings, ENV,
                new ResilientCall(RetryPolicy.from(settings), sleeper, Clock.systemUTC()),
                TokenLimitField.MAX_COMPLETION_TOKENS);

        backend.call(request("openai", "o4-mini", 512));

        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.max_completion_tokens", equalTo("512")))
                .withRequestBody(notContaining("\"max_tokens\"")));
    }

    @Test
    void openAiItselfGetsMaxCompletionTokensAndOtherServersMaxTokens() {
        assertThat(TokenLimitField.forBaseUrl(LlmBackendSettings.OPENAI_DEFAULT_BASE_URL))
                .isEqualTo(TokenLimitField.MAX_COMPLETION_TOKENS);
        assertThat(TokenLimitField.forBaseUrl("http://localhost:11434/v1")).isEqualTo(TokenLimitField.MAX_TOKENS);
        assertThat(TokenLimitField.forBaseUrl("https://openrouter.ai/api/v1")).isEqualTo(TokenLimitField.MAX_TOKENS);
    }

    @Test
    void finishReasonLengthMeansTheBudgetRanOut() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(completion("INV-20", "length", 500, 8, null))));

        ModelResponse response = backend(settings()).call(request("openai", MODEL, 8));

        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.outputTokens()).isEqualTo(8);
    }

    @Test
    void aRateLimitIsRetriedAfterTheRetryAfterTheServerAsks() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "3")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"))
                .willSetStateTo("cooled down"));
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs("cooled down")
                .willReturn(okJson(completion("INV-2041", "stop", 100, 5, null))));

        ModelResponse response = backend(settings()).call(request("openai", MODEL, 64));

        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(3));
        SERVER.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void retryAfterMillisecondsAreHonouredToo() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after-ms", "1500")
                        .withHeader("retry-after", "2"))
                .willSetStateTo("cooled down"));
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs("cooled down")
                .willReturn(okJson(completion("ok", "stop", 100, 5, null))));

        backend(settings()).call(request("openai", MODEL, 64));

        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(1500));
    }

    @Test
    void aServerErrorIsRetriedWithBackoff() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(serverError().withBody("upstream hiccup")).willSetStateTo("recovered"));
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(completion("INV-2041", "stop", 100, 5, null))));

        ModelResponse response = backend(settings()).call(request("openai", MODEL, 64));

        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(sleeper.waits()).singleElement().satisfies(wait ->
                assertThat(wait).isBetween(BASE_DELAY.multipliedBy(8).dividedBy(10), BASE_DELAY));
        SERVER.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aServerThatKeepsFailingIsAProviderErrorAfterEveryAttempt() {
        SERVER.stubFor(post(PATH).willReturn(serverError().withBody("{\"error\":\"internal\"}")));

        assertThatThrownBy(() -> backend(settings()).call(request("openai", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains(MODEL, "HTTP 500", "{\"error\":\"internal\"}", "3 attempts");
                });
        SERVER.verify(3, postRequestedFor(urlEqualTo(PATH)));
        assertThat(sleeper.waits()).hasSize(2);
        assertThat(sleeper.waits().get(0)).isBetween(BASE_DELAY.multipliedBy(8).dividedBy(10), BASE_DELAY);
        assertThat(sleeper.waits().get(1)).isBetween(BASE_DELAY.multipliedBy(16).dividedBy(10),
                BASE_DELAY.multipliedBy(2));
    }

    @Test
    void aServerSlowerThanTheTimeoutIsATimeoutAfterEveryAttempt() {
        SERVER.stubFor(post(PATH).willReturn(okJson(completion("late", "stop", 10, 1, null)).withFixedDelay(1500)));
        LlmBackendSettings settings = settings().withTimeout(Duration.ofMillis(250))
                .withRetries(1, BASE_DELAY, Duration.ofSeconds(1));

        assertThatThrownBy(() -> backend(settings).call(request("openai", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("PT0.25S", "2 attempts");
                });
        // the server may log a request it is still delaying a moment after the client gave up on it
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> SERVER.verify(2, postRequestedFor(urlEqualTo(PATH))));
        assertThat(sleeper.waits()).hasSize(1);
    }

    @Test
    void aBodyThatIsNotJsonIsAProviderErrorAndNotRetried() {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"chatcmpl-1\",\"choices\":[{")));

        assertThatThrownBy(() -> backend(settings()).call(request("openai", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("malformed response body", "1 attempt");
                });
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void theFallbackModelAnswersWhenTheTiersModelStillFails() throws Exception {
        SERVER.stubFor(post(PATH).withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .willReturn(aResponse().withStatus(503).withBody("overloaded")));
        SERVER.stubFor(post(PATH).withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4.1-nano")))
                .willReturn(okJson(completion("INV-2041", "stop", 90, 4, null))));

        ModelResponse response = backend(settings().withFallbackModel("gpt-4.1-nano"))
                .call(request("openai", MODEL, 64));

        assertThat(response.model()).isEqualTo("gpt-4.1-nano");
        assertThat(response.fallbackFrom()).isEqualTo(MODEL);
        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(response.inputTokens()).isEqualTo(90);
        SERVER.verify(3, postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(MODEL))));
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4.1-nano")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("64"))));
    }

    @Test
    void anUnknownModelIsAnInvalidRequestAndNotRetried() {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":{\"message\":\"The model `gpt-9` does not exist\"}}")));

        assertThatThrownBy(() -> backend(settings().withFallbackModel("gpt-4.1-nano"))
                .call(request("openai", "gpt-9", 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("HTTP 404", "gpt-9` does not exist");
                });
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH))); // no retry, no fallback
    }

    @Test
    void aRejectedKeyIsAProviderErrorAndNotRetried() {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"bad key\"}")));

        assertThatThrownBy(() -> backend(settings()).call(request("openai", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("HTTP 401", "check the API key");
                });
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anUnreachableServerIsRetriedThenAProviderError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LlmBackendSettings settings = settings().withBaseUrl("http://127.0.0.1:" + closedPort + "/v1");

        assertThatThrownBy(() -> backend(settings).call(request("openai", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("could not reach the server", "3 attempts");
                });
        assertThat(sleeper.waits()).hasSize(2);
    }

    @Test
    void aTaskWithoutInlinePromptIsAnInvalidRequestAndSendsNothing() {
        assertThatThrownBy(() -> backend(settings()).call(LlmRequests.withoutPrompt("openai", MODEL)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("task-2", "no inline prompt", "s3://bucket/doc-7");
                });
        SERVER.verify(0, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anHttpDateRetryAfterIsReadAgainstTheClock() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "Wed, 21 Oct 2026 07:28:05 GMT"))
                .willSetStateTo("cooled down"));
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs("cooled down")
                .willReturn(okJson(completion("ok", "stop", 10, 1, null))));
        Clock clock = Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC);

        LlmBackends.create(settings(), ENV, sleeper, clock).call(request("openai", MODEL, 64));

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(5));
    }

    private LlmBackendSettings settings() {
        return new LlmBackendSettings("openai", SERVER.baseUrl() + "/v1", KEY_ENV, Duration.ofSeconds(5), 2,
                BASE_DELAY, Duration.ofSeconds(10), null);
    }

    private ModelBackend backend(LlmBackendSettings settings) {
        return LlmBackends.create(settings, ENV, sleeper, Clock.systemUTC());
    }

    /** A chat completion as OpenAI sends it. */
    static String completion(String text, String finishReason, int promptTokens, int completionTokens,
                             Integer cachedTokens) {
        String details = cachedTokens == null ? ""
                : ",\"prompt_tokens_details\":{\"cached_tokens\":" + cachedTokens + ",\"audio_tokens\":0}"
                  + ",\"completion_tokens_details\":{\"reasoning_tokens\":0}";
        return """
                {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,
                 "model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},
                             "logprobs":null,"finish_reason":"%s"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d%s},
                 "service_tier":"default","system_fingerprint":"fp_06737a9306"}
                """.formatted(text, finishReason, promptTokens, completionTokens, promptTokens + completionTokens,
                details);
    }
}
