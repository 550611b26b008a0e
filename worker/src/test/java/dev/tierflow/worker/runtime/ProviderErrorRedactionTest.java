package dev.tierflow.worker.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.llm.LlmBackendSettings;
import dev.tierflow.worker.backend.llm.LlmBackends;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.worker.otel.OtelSpanExport;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A provider's error text reaches a span's checkDetail, and so the results topic and the OpenTelemetry export,
 * only with its credentials masked: keys the provider echoes, the password of a base URL, tokens in a client error.
 */
class ProviderErrorRedactionTest {

    @RegisterExtension
    static final WireMockExtension SERVER = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));
    private static final Clock CLOCK = Clock.fixed(TestInstants.BEGINNING, ZoneOffset.UTC);
    private static final String KEY = "sk-proj-Zq81mN0pLk27Xw93Hr46Tb5Yc";
    private static final String KEY_ENV = "TEST_REDACTION_KEY";

    private static RoutedTask routed(String taskId) {
        return new RoutedTask(task(taskId).build(), "mid", "gpt-4o-mini", "openai", 200, "v1", null, RoutingRule.STATIC_RULE,
                "role=worker", TestInstants.BEGINNING);
    }

    private static ResultSpan run(ModelBackend backend, String taskId) {
        return new AttemptRunner(backend, PRICES, new OutputChecker(), CLOCK, false).run(routed(taskId)).span();
    }

    @Test
    void aKeyAndAPasswordInAModelCallExceptionAreMasked() {
        ModelBackend failing = request -> {
            throw new ModelCallException(ModelCallException.Kind.PROVIDER_ERROR, "openai model gpt-4o-mini at "
                    + "https://svc:hunter2@llm.internal/v1: HTTP 401 Incorrect API key provided: " + KEY + " (1 attempt)");
        };

        ResultSpan span = run(failing, "t-1");

        assertThat(span.getStatus()).isEqualTo(SpanStatus.ERROR);
        assertThat(span.getCheckDetail()).isEqualTo("PROVIDER_ERROR: openai model gpt-4o-mini at https://***@llm.internal/v1: "
                + "HTTP 401 Incorrect API key provided: *** (1 attempt)");
    }

    @Test
    void aKeyInAnUnexpectedExceptionIsMasked() {
        ModelBackend broken = request -> {
            throw new IllegalStateException("client sent x-api-key: " + KEY);
        };

        assertThat(run(broken, "t-2").getCheckDetail())
                .isEqualTo("backend failed: java.lang.IllegalStateException: client sent x-api-key: ***");
    }

    @Test
    void theRealBackendsErrorReachesTheSpanAndTheOtelExportWithoutCredentials() {
        // the provider refuses the key and echoes it, as OpenAI's 401 does; the base URL carries a password
        SERVER.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"message\": \"Incorrect API key provided: " + KEY + "\", \"code\": \"invalid_api_key\"}}")));
        String baseUrl = "http://svc:hunter2@localhost:" + SERVER.getPort() + "/v1";
        LlmBackendSettings settings = new LlmBackendSettings("openai", baseUrl, KEY_ENV, Duration.ofSeconds(10), 0,
                null, null, null);
        ModelBackend backend = LlmBackends.create(settings, Map.of(KEY_ENV, KEY), duration -> { }, CLOCK);

        ResultSpan span = run(backend, "t-3");

        assertThat(span.getStatus()).isEqualTo(SpanStatus.ERROR);
        assertThat(span.getCheckDetail()).startsWith("PROVIDER_ERROR: openai model gpt-4o-mini at http://***@localhost:")
                .doesNotContain(KEY).doesNotContain("hunter2");
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        SpanData otel;
        try (OtelSpanExport export = OtelSpanExport.with(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build())) {
            export.committed(List.of(span));
            otel = exported.getFinishedSpanItems().get(0); // before close: shutting the exporter down empties it
        }
        assertThat(otel.getStatus().getDescription()).isEqualTo(span.getCheckDetail());
        assertThat(otel.getAttributes().asMap().values()).allSatisfy(value ->
                assertThat(String.valueOf(value)).doesNotContain(KEY).doesNotContain("hunter2"));
    }
}
