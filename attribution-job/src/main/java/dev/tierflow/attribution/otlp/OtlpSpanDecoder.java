package dev.tierflow.attribution.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tierflow.attribution.validate.InputChecks;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Turns one record of the {@code otlp_spans} topic, an OTLP {@link ExportTraceServiceRequest} as the
 * OpenTelemetry Collector's {@code kafkaexporter} writes it with encoding {@code otlp_proto}, into
 * {@link ResultSpan}s.
 *
 * <p>Reads the attributes TierFlow's worker exports (see the worker's {@code OtelSpanExport} and OTEL.md),
 * and gets by with the GenAI semantic-convention attributes plus {@code tierflow.task.id} for other agents'
 * spans: a span without a {@code tierflow.cost.micros} is priced from the catalog. Spans that name no model
 * are not GenAI calls and are only counted. A decoded span goes through the same {@link InputChecks} as an
 * Avro span (ranges, scope names). Never throws for bad input: what cannot be decoded is reported
 * in the {@link OtlpDecoded}.
 */
public final class OtlpSpanDecoder implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** TierFlow counts attempts from 0 (ResultSpan.attempt); a span that does not say is taken as a first attempt. */
    static final int DEFAULT_ATTEMPT = 0;
    static final String UNKNOWN_PROVIDER = "unknown";

    private static final HexFormat HEX = HexFormat.of();
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Serializable, so Flink ships it to the task managers with the decoder. */
    private final PriceCatalog prices;

    public OtlpSpanDecoder(PriceCatalog prices) {
        this.prices = Objects.requireNonNull(prices, "prices");
    }

    /** Decodes one record value; never throws for bad input. */
    public OtlpDecoded decode(byte[] exportTraceServiceRequest) {
        if (exportTraceServiceRequest == null) {
            return OtlpDecoded.unreadable("no value (a Kafka tombstone), not an OTLP ExportTraceServiceRequest");
        }
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(exportTraceServiceRequest);
        } catch (InvalidProtocolBufferException e) {
            return OtlpDecoded.unreadable("not an OTLP ExportTraceServiceRequest: " + e.getMessage());
        }
        if (request.getResourceSpansCount() == 0 && !request.getUnknownFields().asMap().isEmpty()) {
            // protobuf parses some foreign bytes as nothing but unknown fields rather than failing
            return OtlpDecoded.unreadable("not an OTLP ExportTraceServiceRequest: no resource spans, only unknown fields"
                    + " (was it written with another encoding than otlp_proto?)");
        }
        return decode(request);
    }

    private OtlpDecoded decode(ExportTraceServiceRequest request) {
        List<ResultSpan> spans = new ArrayList<>();
        List<OtlpRejectedSpan> rejected = new ArrayList<>(0);
        int skipped = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Dimensions resource = Dimensions.of(resourceSpans.getResource().getAttributesList(), Dimensions.NONE);
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                Dimensions scope = Dimensions.of(scopeSpans.getScope().getAttributesList(), resource);
                for (Span span : scopeSpans.getSpansList()) {
                    SpanAttributes attributes = SpanAttributes.of(span.getAttributesList());
                    if (!attributes.genAi) {
                        skipped++;
                        continue;
                    }
                    attributes.inherit(scope);
                    String problem = attributes.problem;
                    if (problem == null) {
                        try {
                            ResultSpan decoded = toResultSpan(span, attributes);
                            if (decoded == null) {
                                problem = "unpriced model '" + model(attributes) + "'";
                            } else {
                                // the same range and name check as an Avro span's
                                problem = InputChecks.spanProblem(decoded);
                                if (problem == null) {
                                    spans.add(decoded);
                                    continue;
                                }
                            }
                        } catch (RuntimeException e) {
                            // the catalog refuses impossible counts (more cached than input tokens) or overflows
                            problem = e.getMessage();
                        }
                    }
                    rejected.add(new OtlpRejectedSpan(hex(span.getTraceId()), hex(span.getSpanId()), problem));
                }
            }
        }
        return new OtlpDecoded(spans, rejected, skipped, null);
    }

    /** The span as a ResultSpan, or null when it has no cost attribute and its model no price. */
    private ResultSpan toResultSpan(Span span, SpanAttributes a) {
        String model = model(a);
        long inputTokens = orZero(a.inputTokens);
        long outputTokens = orZero(a.outputTokens);
        long cachedInputTokens = orZero(a.cachedInputTokens);
        if (a.costMicros == null && !prices.knows(model)) {
            return null;
        }
        long costMicros = a.costMicros != null ? a.costMicros : prices.costMicros(model, inputTokens, outputTokens, cachedInputTokens);
        String taskId = a.taskId != null ? a.taskId : "";
        int attempt = a.attempt != null ? a.attempt : DEFAULT_ATTEMPT;
        boolean otlpError = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        Instant startedAt = instant(span.getStartTimeUnixNano());
        Instant endedAt = instant(span.getEndTimeUnixNano());
        // an end before the start (clock skew, unset end) is no negative call: count it as instant
        long latencyMs = a.latencyMs != null ? a.latencyMs : Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli());
        return ResultSpan.newBuilder()
                .setTaskId(taskId)
                .setRunId(a.runId != null ? a.runId : hex(span.getTraceId()))
                .setSpanId(spanId(span, a, taskId, attempt))
                .setAttempt(attempt)
                .setRole(orEmpty(a.role))
                .setTaskType(orEmpty(a.taskType))
                .setTenant(orEmpty(a.tenant))
                .setTier(orEmpty(a.tier))
                .setModel(model)
                .setProvider(a.provider != null ? a.provider : a.system != null ? a.system : UNKNOWN_PROVIDER)
                .setFallbackFrom(a.fallbackFrom)
                .setMaxOutputTokens(a.maxTokens != null ? a.maxTokens : 0)
                .setInputTokens(inputTokens)
                .setOutputTokens(outputTokens)
                .setCachedInputTokens(cachedInputTokens)
                .setCostMicros(costMicros)
                .setLatencyMs(latencyMs)
                .setStatus(status(a, otlpError))
                .setQuality(a.quality)
                .setCheckPassed(a.checkPassed)
                .setCheckDetail(checkDetail(span, a, otlpError))
                .setEscalated(a.escalated != null && a.escalated)
                .setStartedAt(startedAt)
                .setEndedAt(endedAt)
                .build();
    }

    /** The model that answered; the requested one when the response does not say. */
    private static String model(SpanAttributes a) {
        if (a.responseModel != null && !a.responseModel.isEmpty()) {
            return a.responseModel;
        }
        return a.requestModel != null ? a.requestModel : "";
    }

    /** TierFlow's own span id, else the one the worker would give (task id # attempt), else the OTLP one. */
    private static String spanId(Span span, SpanAttributes a, String taskId, int attempt) {
        if (a.spanId != null) {
            return a.spanId;
        }
        return taskId.isEmpty() ? hex(span.getSpanId()) : taskId + "#" + attempt;
    }

    private static SpanStatus status(SpanAttributes a, boolean otlpError) {
        if (a.status != null) {
            try {
                return SpanStatus.valueOf(a.status);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("attribute '" + SpanAttributes.STATUS + "' must be one of "
                        + List.of(SpanStatus.values()) + ", was '" + a.status + "'");
            }
        }
        return otlpError || a.errorType != null ? SpanStatus.ERROR : SpanStatus.OK;
    }

    /**
     * The worker puts an ERROR's whole detail ("TIMEOUT: ...") in the OTLP status description and only its
     * kind in {@code error.type}: prefer the description, so the detail survives the trip.
     */
    private static String checkDetail(Span span, SpanAttributes a, boolean otlpError) {
        String description = span.getStatus().getMessage();
        if (otlpError && !description.isEmpty()) {
            return description;
        }
        return a.errorType;
    }

    private static Instant instant(long unixNanos) {
        // Avro's timestamp-millis keeps milliseconds only: truncate here so startedAt, endedAt and latency agree
        return Instant.ofEpochMilli(Math.floorDiv(unixNanos, NANOS_PER_MILLI));
    }

    private static String hex(ByteString id) {
        return HEX.formatHex(id.toByteArray());
    }

    private static long orZero(Long n) {
        return n != null ? n : 0L;
    }

    private static String orEmpty(String s) {
        return s != null ? s : "";
    }

    @Override
    public String toString() {
        return "OtlpSpanDecoder[" + prices + "]";
    }
}
