package dev.tierflow.worker.otel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The autoconfigured OTLP/HTTP exporter, set up by OTEL_* variables only, really sends the spans to a collector. */
class OtlpHttpExportTest {

    @RegisterExtension
    static final WireMockExtension COLLECTOR = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeEach
    void collectorAcceptsTraces() {
        COLLECTOR.stubFor(post(urlPathEqualTo("/v1/traces")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-protobuf")));
    }

    private static Map<String, String> environment(String... extra) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR.baseUrl(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                // nothing is sent on the batch processor's own schedule during the test: only the flush sends
                "OTEL_BSP_SCHEDULE_DELAY", "600000",
                "PATH", "/usr/bin"));
        for (int i = 0; i < extra.length; i += 2) {
            environment.put(extra[i], extra[i + 1]);
        }
        return environment;
    }

    private static String bodyOf(LoggedRequest request) {
        // OTLP protobuf carries strings verbatim
        return new String(request.getBody(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void committedSpansArePostedToV1TracesAsProtobufOnFlush() {
        try (OtelSpanExport export = OtelSpanExport.configure(environment())) {
            export.committed(List.of(ResultSpans.ok("t-otlp-1", "run-otlp").build(), ResultSpans.error("t-otlp-2", "run-otlp").build()));

            assertThat(export.flush()).isTrue();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    COLLECTOR.verify(postRequestedFor(urlPathEqualTo("/v1/traces"))
                            .withHeader("Content-Type", equalTo("application/x-protobuf"))));
            String body = COLLECTOR.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).stream()
                    .map(OtlpHttpExportTest::bodyOf).reduce("", String::concat);
            assertThat(body).contains("tierflow-worker", "chat claude-sonnet-4-5", "chat llama-3.1-8b", "gen_ai.usage.input_tokens",
                    "tierflow.task.id", "t-otlp-1", "t-otlp-2", "run-otlp");
        }
    }

    @Test
    void serviceNameAndMoreComeFromTheOtelVariables() {
        try (OtelSpanExport export = OtelSpanExport.configure(environment(
                "OTEL_SERVICE_NAME", "tierflow-worker-small", "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=staging"))) {
            export.committed(List.of(ResultSpans.ok("t-otlp-3", "run-otlp").build()));

            assertThat(export.flush()).isTrue();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(COLLECTOR.findAll(postRequestedFor(urlPathEqualTo("/v1/traces")))).isNotEmpty());
            String body = bodyOf(COLLECTOR.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).get(0));
            assertThat(body).contains("tierflow-worker-small", "staging", "t-otlp-3");
        }
    }

    @Test
    void closingFlushesWhatIsStillQueued() {
        OtelSpanExport export = OtelSpanExport.configure(environment());
        export.committed(List.of(ResultSpans.ok("t-otlp-4", "run-otlp").build()));
        assertThat(COLLECTOR.findAll(postRequestedFor(urlPathEqualTo("/v1/traces")))).isEmpty();

        export.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(COLLECTOR.findAll(postRequestedFor(urlPathEqualTo("/v1/traces")))).hasSize(1));
        assertThat(bodyOf(COLLECTOR.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).get(0))).contains("t-otlp-4");
    }
}
