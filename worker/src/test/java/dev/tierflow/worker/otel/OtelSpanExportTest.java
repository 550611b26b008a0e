package dev.tierflow.worker.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tierflow.schemas.ResultSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each committed ResultSpan becomes as an OpenTelemetry span, read back from the SDK's in-memory exporter. */
class OtelSpanExportTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OtelSpanExport export = OtelSpanExport.with(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build());

    @AfterEach
    void close() {
        export.close();
    }

    private SpanData exportOne(ResultSpan span) {
        export.committed(List.of(span));
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    @Test
    void okSpanIsAGenAiChatClientSpanWithEveryAttribute() {
        SpanData span = exportOne(ResultSpans.ok("t-7", "run-42").build());

        assertThat(span.getName()).isEqualTo("chat claude-sonnet-4-5");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("dev.tierflow.worker");
        Map<AttributeKey<?>, Object> expected = Map.ofEntries(
                entry(AttributeKey.stringKey("gen_ai.operation.name"), "chat"),
                entry(AttributeKey.stringKey("gen_ai.provider.name"), "anthropic"),
                entry(AttributeKey.stringKey("gen_ai.request.model"), "claude-sonnet-4-5"),
                entry(AttributeKey.stringKey("gen_ai.response.model"), "claude-sonnet-4-5"),
                entry(AttributeKey.longKey("gen_ai.request.max_tokens"), 800L),
                entry(AttributeKey.longKey("gen_ai.usage.input_tokens"), 1_234L),
                entry(AttributeKey.longKey("gen_ai.usage.output_tokens"), 567L),
                entry(AttributeKey.stringKey("tierflow.task.id"), "t-7"),
                entry(AttributeKey.stringKey("tierflow.run.id"), "run-42"),
                entry(AttributeKey.stringKey("tierflow.span.id"), "t-7#1"),
                entry(AttributeKey.longKey("tierflow.attempt"), 1L),
                entry(AttributeKey.stringKey("tierflow.role"), "extractor"),
                entry(AttributeKey.stringKey("tierflow.task.type"), "extraction"),
                entry(AttributeKey.stringKey("tierflow.tier"), "mid"),
                entry(AttributeKey.stringKey("tierflow.tenant"), "acme"),
                entry(AttributeKey.longKey("tierflow.cost.micros"), 12_207L),
                entry(AttributeKey.stringKey("tierflow.status"), "OK"),
                entry(AttributeKey.doubleKey("tierflow.quality"), 0.875),
                entry(AttributeKey.booleanKey("tierflow.check.passed"), true),
                entry(AttributeKey.booleanKey("tierflow.escalated"), false),
                entry(AttributeKey.longKey("tierflow.cached_input_tokens"), 1_000L),
                entry(AttributeKey.longKey("tierflow.latency_ms"), 1_822L));
        // exactly these: no fallback_from, no error.type on an OK span
        assertThat(span.getAttributes().asMap()).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void errorSpanHasErrorStatusTheFallbackAndNoUnknownValues() {
        SpanData span = exportOne(ResultSpans.error("t-8", "run-42").build());

        assertThat(span.getName()).isEqualTo("chat llama-3.1-8b");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("PROVIDER_ERROR: 503 from https://api.example/v1/chat/completions");
        Map<AttributeKey<?>, Object> expected = Map.ofEntries(
                entry(AttributeKey.stringKey("gen_ai.operation.name"), "chat"),
                entry(AttributeKey.stringKey("gen_ai.provider.name"), "openai"),
                entry(AttributeKey.stringKey("gen_ai.request.model"), "llama-3.1-8b"),
                entry(AttributeKey.stringKey("gen_ai.response.model"), "gpt-4o-mini"),
                entry(AttributeKey.longKey("gen_ai.request.max_tokens"), 256L),
                entry(AttributeKey.longKey("gen_ai.usage.input_tokens"), 0L),
                entry(AttributeKey.longKey("gen_ai.usage.output_tokens"), 0L),
                entry(AttributeKey.stringKey("error.type"), "PROVIDER_ERROR"),
                entry(AttributeKey.stringKey("tierflow.task.id"), "t-8"),
                entry(AttributeKey.stringKey("tierflow.run.id"), "run-42"),
                entry(AttributeKey.stringKey("tierflow.span.id"), "t-8#0"),
                entry(AttributeKey.longKey("tierflow.attempt"), 0L),
                entry(AttributeKey.stringKey("tierflow.role"), "extractor"),
                entry(AttributeKey.stringKey("tierflow.task.type"), "extraction"),
                entry(AttributeKey.stringKey("tierflow.tier"), "small"),
                entry(AttributeKey.stringKey("tierflow.tenant"), "acme"),
                entry(AttributeKey.longKey("tierflow.cost.micros"), 0L),
                entry(AttributeKey.stringKey("tierflow.status"), "ERROR"),
                entry(AttributeKey.booleanKey("tierflow.escalated"), true),
                entry(AttributeKey.longKey("tierflow.cached_input_tokens"), 0L),
                entry(AttributeKey.stringKey("tierflow.fallback_from"), "llama-3.1-8b"),
                entry(AttributeKey.longKey("tierflow.latency_ms"), 1_822L));
        // quality and check outcome are unknown: absent, not zero or false
        assertThat(span.getAttributes().asMap()).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void checkFailedAndBudgetExhaustedAreNotOtelErrors() {
        export.committed(List.of(
                ResultSpans.ok("t-1", "r").setStatus(dev.tierflow.schemas.SpanStatus.CHECK_FAILED).setCheckPassed(false).build(),
                ResultSpans.ok("t-2", "r").setStatus(dev.tierflow.schemas.SpanStatus.BUDGET_EXHAUSTED).build()));

        assertThat(exported.getFinishedSpanItems()).extracting(s -> s.getStatus().getStatusCode())
                .containsExactly(StatusCode.UNSET, StatusCode.UNSET);
        assertThat(exported.getFinishedSpanItems()).extracting(s -> s.getAttributes().get(AttributeKey.stringKey("tierflow.status")))
                .containsExactly("CHECK_FAILED", "BUDGET_EXHAUSTED");
        assertThat(exported.getFinishedSpanItems().get(0).getAttributes().get(AttributeKey.booleanKey("tierflow.check.passed"))).isFalse();
    }

    @Test
    void startAndEndAreTheAttemptsOwnTimestamps() {
        SpanData span = exportOne(ResultSpans.ok("t-7", "run-42").build());

        assertThat(span.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(ResultSpans.STARTED.toEpochMilli()));
        assertThat(span.getEndEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(ResultSpans.ENDED.toEpochMilli()));
        assertThat(span.hasEnded()).isTrue();
    }

    @Test
    void spansOfOneRunShareATraceDerivedFromTheRunId() {
        export.committed(List.of(ResultSpans.ok("t-1", "run-A").build(), ResultSpans.error("t-2", "run-A").build(),
                ResultSpans.ok("t-3", "run-B").build()));

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(3);
        assertThat(OtelSpanExport.traceIdOf("run-A")).hasSize(32).isEqualTo(spans.get(0).getTraceId());
        assertThat(spans.get(1).getTraceId()).isEqualTo(spans.get(0).getTraceId());
        assertThat(spans.get(2).getTraceId()).isEqualTo(OtelSpanExport.traceIdOf("run-B")).isNotEqualTo(spans.get(0).getTraceId());
        // both children of the same synthetic run parent, each its own span
        assertThat(spans.get(0).getParentSpanContext().isRemote()).isTrue();
        assertThat(spans.get(0).getParentSpanId()).isEqualTo(spans.get(1).getParentSpanId());
        assertThat(spans.get(0).getSpanId()).isNotEqualTo(spans.get(1).getSpanId());
        assertThat(spans).allSatisfy(s -> assertThat(s.getSpanContext().isSampled()).isTrue());
    }

    @Test
    void traceIdIsTheFirstHalfOfTheRunIdsSha256() {
        // printf abc | sha256sum → ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assertThat(OtelSpanExport.traceIdOf("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223");
    }

    @Test
    void errorTypeIsTheFailureKindWhenTheDetailNamesOne() {
        assertThat(OtelSpanExport.errorType("TIMEOUT: no answer in 30 s")).isEqualTo("TIMEOUT");
        assertThat(OtelSpanExport.errorType("backend failed: java.lang.IllegalStateException: x")).isEqualTo("_OTHER");
        assertThat(OtelSpanExport.errorType(null)).isEqualTo("_OTHER");
    }

    @Test
    void environmentNamesMapToAutoconfigurePropertyNames() {
        assertThat(OtelSpanExport.propertyName("OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo("otel.exporter.otlp.endpoint");
        assertThat(OtelSpanExport.propertyName("otel.service.name")).isEqualTo("otel.service.name");
    }
}
