package dev.tierflow.worker.backend.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Anthropic backend against a local server speaking the Messages wire format. */
class AnthropicBackendTest {

    @RegisterExtension
    static final WireMockExtension SERVER = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .build();

    private static final String PATH = "/v1/messages";
    private static final String MODEL = "claude-opus-4-6";
    private static final String FALLBACK = "claude-sonnet-4-5";
    private static final String KEY_ENV = "TEST_ANTHROPIC_KEY";
    private static final Map<String, String> ENV = Map.of(KEY_ENV, "sk-ant-test");
    private static final Duration BASE_DELAY = Duration.ofMillis(200);

    private final RecordingSleeper sleeper = new RecordingSleeper();

    @Test
    void answersWithTheUsageTheServerReportsAndSendsTheModelAndTheBudget() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(message("INV-2041", "end_turn", 40, 12, 1000, 0))
                .withFixedDelay(120)));

        ModelResponse response = backend(settings()).call(request("anthropic", MODEL, 256));

        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(response.model()).isEqualTo(MODEL);
        assertThat(response.provider()).isEqualTo("anthropic");
        assertThat(response.fallbackFrom()).isNull();
        // input_tokens excludes what was read from the cache: the span's input tokens include it
        assertThat(response.inputTokens()).isEqualTo(1040);
        assertThat(response.cachedInputTokens()).isEqualTo(1000);
        assertThat(response.outputTokens()).isEqualTo(12);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.latencyMs()).isGreaterThanOrEqualTo(120);
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo("sk-ant-test"))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("256")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
                .withRequestBody(matchingJsonPath("$.messages[0].content[0].text", equalTo(PROMPT))));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void cacheWritesCountAsInputButNotAsCached() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(message("ok", "end_turn", 30, 5, 0, 2000))));

        ModelResponse response = backend(settings()).call(request("anthropic-eu", MODEL, 64));

        assertThat(response.inputTokens()).isEqualTo(2030);
        assertThat(response.cachedInputTokens()).isZero();
        assertThat(response.provider()).isEqualTo("anthropic-eu");
    }

    @Test
    void stopReasonMaxTokensMeansTheBudgetRanOut() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(message("INV-20", "max_tokens", 500, 8, 0, 0))));

        ModelResponse response = backend(settings()).call(request("anthropic", MODEL, 8));

        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.outputTokens()).isEqualTo(8);
    }

    @Test
    void aRateLimitIsRetriedAfterTheRetryAfterTheServerAsks() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "7").withBody(error("rate_limit_error")))
                .willSetStateTo("cooled down"));
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs("cooled down")
                .willReturn(okJson(message("INV-2041", "end_turn", 100, 5, 0, 0))));

        ModelResponse response = backend(settings()).call(request("anthropic", MODEL, 64));

        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
        SERVER.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anHttpDateRetryAfterIsReadAgainstTheClock() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "Wed, 21 Oct 2026 07:28:02 GMT")
                        .withBody(error("rate_limit_error")))
                .willSetStateTo("cooled down"));
        SERVER.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs("cooled down")
                .willReturn(okJson(message("ok", "end_turn", 10, 1, 0, 0))));
        Clock clock = Clock.fixed(Instant.parse("2026-10-21T07:28:00.500Z"), ZoneOffset.UTC);

        LlmBackends.create(settings(), ENV, sleeper, clock).call(request("anthropic", MODEL, 64));

        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(1500));
    }

    @Test
    void aRetryAfterLongerThanMaxDelayFailsAtOnce() {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(429).withHeader("retry-after", "600")
                .withBody(error("rate_limit_error"))));

        assertThatThrownBy(() -> backend(settings()).call(request("anthropic", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("HTTP 429", "retry after PT10M", "maxDelay PT10S");
                });
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void anOverloadedServerIsRetriedWithBackoff() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(529).withBody(error("overloaded_error")))
                .willSetStateTo("recovered"));
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(message("INV-2041", "end_turn", 100, 5, 0, 0))));

        ModelResponse response = backend(settings()).call(request("anthropic", MODEL, 64));

        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(sleeper.waits()).singleElement().satisfies(wait ->
                assertThat(wait).isBetween(BASE_DELAY.multipliedBy(8).dividedBy(10), BASE_DELAY));
        SERVER.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aServerErrorIsRetriedWithBackoff() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody(error("api_error")))
                .willSetStateTo("recovered"));
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(message("INV-2041", "end_turn", 100, 5, 0, 0))));

        ModelResponse response = backend(settings()).call(request("anthropic", MODEL, 64));

        assertThat(response.text()).isEqualTo("INV-2041");
        assertThat(sleeper.waits()).hasSize(1);
        SERVER.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aServerThatKeepsFailingIsAProviderErrorAfterEveryAttempt() {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(500).withBody(error("api_error"))));
        LlmBackendSettings settings = settings().withRetries(3, BASE_DELAY, Duration.ofMillis(500));

        assertThatThrownBy(() -> backend(settings).call(request("anthropic", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains(MODEL, "HTTP 500", "api_error", "4 attempts");
                });
        SERVER.verify(4, postRequestedFor(urlEqualTo(PATH)));
        // 200 ms, 400 ms, then 800 ms capped at maxDelay 500 ms; each less at most 20 % jitter
        assertThat(sleeper.waits()).hasSize(3);
        assertThat(sleeper.waits().get(1)).isBetween(Duration.ofMillis(320), Duration.ofMillis(400));
        assertThat(sleeper.waits().get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(500));
    }

    @Test
    void aServerSlowerThanTheTimeoutIsATimeoutAfterEveryAttempt() {
        SERVER.stubFor(post(PATH).willReturn(okJson(message("late", "end_turn", 10, 1, 0, 0)).withFixedDelay(1500)));
        LlmBackendSettings settings = settings().withTimeout(Duration.ofMillis(250))
                .withRetries(1, BASE_DELAY, Duration.ofSeconds(1));

        assertThatThrownBy(() -> backend(settings).call(request("anthropic", MODEL, 64)))
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
                .withHeader("Content-Type", "application/json").withBody("<html>502 Bad Gateway</html>")));

        assertThatThrownBy(() -> backend(settings()).call(request("anthropic", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("malformed response body", "1 attempt");
                });
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void theFallbackModelAnswersWhenTheTiersModelStillFails() throws Exception {
        SERVER.stubFor(post(PATH).withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .willReturn(aResponse().withStatus(529).withBody(error("overloaded_error"))));
        SERVER.stubFor(post(PATH).withRequestBody(matchingJsonPath("$.model", equalTo(FALLBACK)))
                .willReturn(okJson(message("INV-2041", "end_turn", 90, 4, 0, 0))));

        ModelResponse response = backend(settings().withFallbackModel(FALLBACK)).call(request("anthropic", MODEL, 64));

        assertThat(response.model()).isEqualTo(FALLBACK);
        assertThat(response.fallbackFrom()).isEqualTo(MODEL);
        assertThat(response.text()).isEqualTo("INV-2041");
        SERVER.verify(3, postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(MODEL))));
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", equalTo(FALLBACK)))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("64"))));
    }

    @Test
    void whenTheFallbackFailsTooTheErrorNamesBoth() {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(503).withBody(error("api_error"))));
        LlmBackendSettings settings = settings().withRetries(0, BASE_DELAY, BASE_DELAY).withFallbackModel(FALLBACK);

        assertThatThrownBy(() -> backend(settings).call(request("anthropic", MODEL, 64)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("model " + FALLBACK, "after the tier's model failed",
                            "model " + MODEL);
                    assertThat(e.getSuppressed()).hasSize(1);
                });
        SERVER.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aTaskWithoutInlinePromptIsAnInvalidRequestAndSendsNothing() {
        assertThatThrownBy(() -> backend(settings()).call(LlmRequests.withoutPrompt("anthropic", MODEL)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("no inline prompt");
                });
        SERVER.verify(0, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aBaseUrlWithoutTrailingSlashWorksToo() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(okJson(message("ok", "end_turn", 10, 1, 0, 0))));

        backend(settings().withBaseUrl(SERVER.baseUrl() + "/v1")).call(request("anthropic", MODEL, 16));

        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    private LlmBackendSettings settings() {
        return new LlmBackendSettings("anthropic", SERVER.baseUrl() + "/v1/", KEY_ENV, Duration.ofSeconds(5), 2,
                BASE_DELAY, Duration.ofSeconds(10), null);
    }

    private ModelBackend backend(LlmBackendSettings settings) {
        return LlmBackends.create(settings, ENV, sleeper, Clock.systemUTC());
    }

    /** A Messages API response as Anthropic sends it. */
    static String message(String text, String stopReason, int inputTokens, int outputTokens, int cacheRead,
                          int cacheWrite) {
        return """
                {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-opus-4-6",
                 "content":[{"type":"text","text":"%s"}],
                 "stop_reason":"%s","stop_sequence":null,
                 "usage":{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,
                          "output_tokens":%d,"service_tier":"standard"}}
                """.formatted(text, stopReason, inputTokens, cacheWrite, cacheRead, outputTokens);
    }

    static String error(String type) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + type + " for the test\"}}";
    }
}
