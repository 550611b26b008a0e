package dev.tierflow.worker.otel;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.worker.runtime.CommittedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Exports each committed {@link ResultSpan} as an OpenTelemetry span (OTLP, configured by the usual
 * {@code OTEL_*} variables through the SDK's autoconfigure), named and attributed after the OpenTelemetry
 * GenAI semantic conventions plus TierFlow's own {@code tierflow.*} attributes. See worker/OTEL.md.
 *
 * <p>All spans of one workflow run share one trace: the trace id is the first 16 bytes of SHA-256(runId),
 * and each span's parent is a synthetic remote span (id: the next 8 bytes of that hash) standing for the
 * run, which is itself not exported. Spans are only exported after their Kafka transaction committed
 * ({@link CommittedSpans}); the batch span processor sends them asynchronously.
 */
public final class OtelSpanExport implements CommittedSpans, AutoCloseable {

    public static final String DEFAULT_SERVICE_NAME = "tierflow-worker";
    static final String INSTRUMENTATION_SCOPE = "dev.tierflow.worker";

    // OpenTelemetry GenAI semantic conventions
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    // TierFlow's own
    static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("tierflow.task.id");
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("tierflow.run.id");
    static final AttributeKey<String> SPAN_ID = AttributeKey.stringKey("tierflow.span.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tierflow.attempt");
    static final AttributeKey<String> ROLE = AttributeKey.stringKey("tierflow.role");
    static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey("tierflow.task.type");
    static final AttributeKey<String> TIER = AttributeKey.stringKey("tierflow.tier");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("tierflow.tenant");
    static final AttributeKey<Long> COST_MICROS = AttributeKey.longKey("tierflow.cost.micros");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("tierflow.status");
    static final AttributeKey<Double> QUALITY = AttributeKey.doubleKey("tierflow.quality");
    static final AttributeKey<Boolean> CHECK_PASSED = AttributeKey.booleanKey("tierflow.check.passed");
    static final AttributeKey<Boolean> ESCALATED = AttributeKey.booleanKey("tierflow.escalated");
    static final AttributeKey<Long> CACHED_INPUT_TOKENS = AttributeKey.longKey("tierflow.cached_input_tokens");
    static final AttributeKey<String> FALLBACK_FROM = AttributeKey.stringKey("tierflow.fallback_from");
    static final AttributeKey<Long> LATENCY_MS = AttributeKey.longKey("tierflow.latency_ms");

    private static final Pattern ERROR_KIND = Pattern.compile("[A-Z][A-Z_]*");

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private OtelSpanExport(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk.getTracer(INSTRUMENTATION_SCOPE);
    }

    /** Whether the environment asks for export: {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_TRACES_EXPORTER} set. */
    public static boolean requested(Map<String, String> environment) {
        return present(environment.get("OTEL_EXPORTER_OTLP_ENDPOINT")) || present(environment.get("OTEL_TRACES_EXPORTER"));
    }

    /**
     * Configures the SDK with autoconfigure from {@code config}: environment-style names ({@code OTEL_TRACES_EXPORTER})
     * or property names ({@code otel.traces.exporter}). The JVM's system properties and environment still take
     * part as autoconfigure always reads them, but entries of {@code config} win. Defaults: service name
     * {@value #DEFAULT_SERVICE_NAME}, and no metrics or logs exporter (only traces are exported).
     */
    public static OtelSpanExport configure(Map<String, String> config) {
        Map<String, String> given = new HashMap<>();
        config.forEach((name, value) -> {
            if (name.startsWith("OTEL_") || name.startsWith("otel.")) {
                given.put(propertyName(name), value);
            }
        });
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", DEFAULT_SERVICE_NAME);
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                // the customizer's result overrides system properties and environment: the given map wins
                .addPropertiesCustomizer(properties -> given)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new OtelSpanExport(sdk);
    }

    /** With a tracer provider built by the caller (tests: an in-memory exporter). */
    public static OtelSpanExport with(SdkTracerProvider tracerProvider) {
        return new OtelSpanExport(OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build());
    }

    /** {@code OTEL_EXPORTER_OTLP_ENDPOINT} → {@code otel.exporter.otlp.endpoint}, as autoconfigure maps the environment. */
    static String propertyName(String name) {
        return name.startsWith("OTEL_") ? name.toLowerCase(Locale.ROOT).replace('_', '.') : name;
    }

    @Override
    public void committed(List<ResultSpan> spans) {
        for (ResultSpan span : spans) {
            export(span);
        }
    }

    private void export(ResultSpan span) {
        String requestModel = span.getFallbackFrom() != null ? span.getFallbackFrom() : span.getModel();
        SpanBuilder builder = tracer.spanBuilder("chat " + requestModel)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(runContext(span.getRunId()))
                .setStartTimestamp(span.getStartedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
                .setAttribute(OPERATION_NAME, "chat")
                .setAttribute(PROVIDER_NAME, span.getProvider())
                .setAttribute(REQUEST_MODEL, requestModel)
                .setAttribute(RESPONSE_MODEL, span.getModel())
                .setAttribute(REQUEST_MAX_TOKENS, (long) span.getMaxOutputTokens())
                .setAttribute(USAGE_INPUT_TOKENS, span.getInputTokens())
                .setAttribute(USAGE_OUTPUT_TOKENS, span.getOutputTokens())
                .setAttribute(TASK_ID, span.getTaskId())
                .setAttribute(RUN_ID, span.getRunId())
                .setAttribute(SPAN_ID, span.getSpanId())
                .setAttribute(ATTEMPT, (long) span.getAttempt())
                .setAttribute(ROLE, span.getRole())
                .setAttribute(TASK_TYPE, span.getTaskType())
                .setAttribute(TIER, span.getTier())
                .setAttribute(TENANT, span.getTenant())
                .setAttribute(COST_MICROS, span.getCostMicros())
                .setAttribute(STATUS, span.getStatus().name())
                .setAttribute(ESCALATED, span.getEscalated())
                .setAttribute(CACHED_INPUT_TOKENS, span.getCachedInputTokens())
                .setAttribute(LATENCY_MS, span.getLatencyMs());
        if (span.getQuality() != null) {
            builder.setAttribute(QUALITY, span.getQuality());
        }
        if (span.getCheckPassed() != null) {
            builder.setAttribute(CHECK_PASSED, span.getCheckPassed());
        }
        if (span.getFallbackFrom() != null) {
            builder.setAttribute(FALLBACK_FROM, span.getFallbackFrom());
        }
        Span otel = builder.startSpan();
        if (span.getStatus() == SpanStatus.ERROR) {
            String detail = span.getCheckDetail();
            otel.setAttribute(ERROR_TYPE, errorType(detail));
            otel.setStatus(StatusCode.ERROR, detail == null ? "" : detail);
        }
        otel.end(span.getEndedAt().toEpochMilli(), TimeUnit.MILLISECONDS);
    }

    /** The worker writes ERROR details as "KIND: message" (e.g. "TIMEOUT: ..."); anything else is "_OTHER". */
    static String errorType(String detail) {
        if (detail != null) {
            int colon = detail.indexOf(':');
            if (colon > 0 && ERROR_KIND.matcher(detail.substring(0, colon)).matches()) {
                return detail.substring(0, colon);
            }
        }
        return "_OTHER";
    }

    /** A synthetic, sampled remote parent standing for the run: same run id, same trace. */
    static Context runContext(String runId) {
        byte[] hash = sha256(runId);
        HexFormat hex = HexFormat.of();
        String traceId = hex.formatHex(hash, 0, 16);
        String spanId = hex.formatHex(hash, 16, 24);
        SpanContext parent = SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
        if (!parent.isValid()) {
            return Context.root(); // an all-zero id: astronomically unlikely; then the span is its own trace
        }
        return Context.root().with(Span.wrap(parent));
    }

    /** The trace id all spans of {@code runId} are exported under. */
    public static String traceIdOf(String runId) {
        return HexFormat.of().formatHex(sha256(runId), 0, 16);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Exports what is queued; waits up to 10 s. */
    public boolean flush() {
        return sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess();
    }

    /** Flushes what is queued and shuts the SDK down (waits up to 10 s). */
    @Override
    public void close() {
        CompletableResultCode done = sdk.shutdown();
        done.join(10, TimeUnit.SECONDS);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
