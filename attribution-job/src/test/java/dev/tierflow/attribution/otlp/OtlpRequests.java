package dev.tierflow.attribution.otlp;

import com.google.protobuf.ByteString;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds OTLP export requests the way a collector's kafkaexporter writes them (otlp_proto). */
public final class OtlpRequests {

    /** Fixed ids, so tests can name them as hex. */
    public static final byte[] TRACE_ID = bytes(16, 0x10);
    public static final String TRACE_ID_HEX = "101112131415161718191a1b1c1d1e1f";
    public static final byte[] SPAN_ID = bytes(8, 0xa0);
    public static final String SPAN_ID_HEX = "a0a1a2a3a4a5a6a7";

    private OtlpRequests() {
    }

    public static byte[] request(ResourceSpans... resources) {
        return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(resources)).build().toByteArray();
    }

    /** One resource with one scope: what a single agent process sends. */
    public static byte[] request(Span... spans) {
        return request(resource(List.of(), scope(List.of(), spans)));
    }

    public static ResourceSpans resource(List<KeyValue> attributes, ScopeSpans... scopes) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(attributes)
                        .addAttributes(string("service.name", "some-agent")))
                .addAllScopeSpans(List.of(scopes))
                .build();
    }

    public static ScopeSpans scope(List<KeyValue> attributes, Span... spans) {
        return ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("some.instrumentation").addAllAttributes(attributes))
                .addAllSpans(List.of(spans))
                .build();
    }

    public static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    public static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    public static KeyValue decimal(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    public static KeyValue bool(String key, boolean value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
    }

    /** A span named {@code name}, CLIENT, with the fixed ids, started and ended at the given instants. */
    public static Span.Builder span(String name, Instant start, Instant end) {
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(TRACE_ID))
                .setSpanId(ByteString.copyFrom(SPAN_ID))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(nanos(start))
                .setEndTimeUnixNano(nanos(end));
    }

    /**
     * The span the worker's OtelSpanExport exports for {@code result}: the same keys, the same value types
     * (the SDK sends longs as intValue), status ERROR with the detail as description for ERROR spans.
     */
    public static Span workerSpan(ResultSpan result) {
        String requestModel = result.getFallbackFrom() != null ? result.getFallbackFrom() : result.getModel();
        Span.Builder span = span("chat " + requestModel, result.getStartedAt(), result.getEndedAt())
                .addAttributes(string("gen_ai.operation.name", "chat"))
                .addAttributes(string("gen_ai.provider.name", result.getProvider()))
                .addAttributes(string("gen_ai.request.model", requestModel))
                .addAttributes(string("gen_ai.response.model", result.getModel()))
                .addAttributes(integer("gen_ai.request.max_tokens", result.getMaxOutputTokens()))
                .addAttributes(integer("gen_ai.usage.input_tokens", result.getInputTokens()))
                .addAttributes(integer("gen_ai.usage.output_tokens", result.getOutputTokens()))
                .addAttributes(string("tierflow.task.id", result.getTaskId()))
                .addAttributes(string("tierflow.run.id", result.getRunId()))
                .addAttributes(string("tierflow.span.id", result.getSpanId()))
                .addAttributes(integer("tierflow.attempt", result.getAttempt()))
                .addAttributes(string("tierflow.role", result.getRole()))
                .addAttributes(string("tierflow.task.type", result.getTaskType()))
                .addAttributes(string("tierflow.tier", result.getTier()))
                .addAttributes(string("tierflow.tenant", result.getTenant()))
                .addAttributes(integer("tierflow.cost.micros", result.getCostMicros()))
                .addAttributes(string("tierflow.status", result.getStatus().name()))
                .addAttributes(bool("tierflow.escalated", result.getEscalated()))
                .addAttributes(integer("tierflow.cached_input_tokens", result.getCachedInputTokens()))
                .addAttributes(integer("tierflow.latency_ms", result.getLatencyMs()));
        if (result.getQuality() != null) {
            span.addAttributes(decimal("tierflow.quality", result.getQuality()));
        }
        if (result.getCheckPassed() != null) {
            span.addAttributes(bool("tierflow.check.passed", result.getCheckPassed()));
        }
        if (result.getFallbackFrom() != null) {
            span.addAttributes(string("tierflow.fallback_from", result.getFallbackFrom()));
        }
        if (result.getStatus() == SpanStatus.ERROR) {
            String detail = result.getCheckDetail();
            span.addAttributes(string("error.type", detail.substring(0, detail.indexOf(':'))))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(detail));
        }
        return span.build();
    }

    public static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    private static byte[] bytes(int length, int first) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }
}
