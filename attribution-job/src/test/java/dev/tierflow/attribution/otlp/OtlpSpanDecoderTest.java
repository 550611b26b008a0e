package dev.tierflow.attribution.otlp;

import static dev.tierflow.attribution.otlp.OtlpRequests.SPAN_ID_HEX;
import static dev.tierflow.attribution.otlp.OtlpRequests.TRACE_ID_HEX;
import static dev.tierflow.attribution.otlp.OtlpRequests.bool;
import static dev.tierflow.attribution.otlp.OtlpRequests.decimal;
import static dev.tierflow.attribution.otlp.OtlpRequests.integer;
import static dev.tierflow.attribution.otlp.OtlpRequests.request;
import static dev.tierflow.attribution.otlp.OtlpRequests.resource;
import static dev.tierflow.attribution.otlp.OtlpRequests.scope;
import static dev.tierflow.attribution.otlp.OtlpRequests.span;
import static dev.tierflow.attribution.otlp.OtlpRequests.string;
import static dev.tierflow.attribution.otlp.OtlpRequests.workerSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.testing.TestInstants;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpSpanDecoderTest {

    /** The example catalog: claude-sonnet-4-5 costs $3 input, $15 output, $0.30 cached input per million tokens. */
    private static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));
    private static final String SONNET = "claude-sonnet-4-5";

    private static final Instant CALL_STARTED = TestInstants.BEGINNING;
    /** 2.5 s later, plus 750 µs that millisecond timestamps drop. */
    private static final Instant CALL_ENDED = CALL_STARTED.plusMillis(2_500).plusNanos(750_000);

    private final OtlpSpanDecoder decoder = new OtlpSpanDecoder(PRICES);

    @Test
    void aWorkerSpanRoundTripsEveryField() {
        ResultSpan failed = workerResult()
                .setModel("claude-sonnet-4-5-eu").setFallbackFrom(SONNET)
                .setStatus(SpanStatus.ERROR).setCheckDetail("TIMEOUT: no answer within 30s")
                .setQuality(0.25).setCheckPassed(false).setEscalated(true)
                .build();
        ResultSpan passed = workerResult()
                .setSpanId("task-7#1").setAttempt(1)
                .setStatus(SpanStatus.OK).setQuality(0.9).setCheckPassed(true)
                .build();
        ResultSpan checkFailed = workerResult()
                .setSpanId("task-7#2").setAttempt(2)
                .setStatus(SpanStatus.CHECK_FAILED)
                .build();

        OtlpDecoded decoded = decoder.decode(request(workerSpan(failed), workerSpan(passed), workerSpan(checkFailed)));

        assertThat(decoded.unreadableReason()).isNull();
        assertThat(decoded.rejected()).isEmpty();
        assertThat(decoded.skippedNonGenAi()).isZero();
        assertThat(decoded.spans()).containsExactly(failed, passed, checkFailed);
    }

    @Test
    void aMinimalGenAiSpanIsPricedFromTheCatalog() {
        Span minimal = span("chat", CALL_STARTED, CALL_ENDED)
                .addAttributes(string("gen_ai.request.model", SONNET))
                .addAttributes(integer("gen_ai.usage.input_tokens", 1_000))
                .addAttributes(integer("gen_ai.usage.output_tokens", 200))
                .addAttributes(string("tierflow.task.id", "task-1"))
                .build();

        OtlpDecoded decoded = decoder.decode(request(minimal));

        assertThat(decoded.rejected()).isEmpty();
        assertThat(decoded.spans()).containsExactly(ResultSpan.newBuilder()
                .setTaskId("task-1").setRunId(TRACE_ID_HEX).setSpanId("task-1#0").setAttempt(0)
                .setRole("").setTaskType("").setTenant("").setTier("")
                .setModel(SONNET).setProvider("unknown").setFallbackFrom(null).setMaxOutputTokens(0)
                .setInputTokens(1_000).setOutputTokens(200).setCachedInputTokens(0)
                .setCostMicros(3 * 1_000 + 15 * 200)
                .setLatencyMs(2_500).setStatus(SpanStatus.OK)
                .setQuality(null).setCheckPassed(null).setCheckDetail(null).setEscalated(false)
                .setStartedAt(CALL_STARTED).setEndedAt(CALL_STARTED.plusMillis(2_500))
                .build());
    }

    @Test
    void cachedInputTokensArePricedAtTheCachedPrice() {
        Span cached = genAi(SONNET).addAttributes(integer("tierflow.cached_input_tokens", 800)).build();

        ResultSpan decoded = single(decoder.decode(request(cached)));

        // 200 uncached × $3 + 800 cached × $0.30 + 200 output × $15 per million tokens
        assertThat(decoded.getCostMicros()).isEqualTo(200 * 3 + 240 + 200 * 15);
        assertThat(decoded.getCachedInputTokens()).isEqualTo(800);
    }

    @Test
    void theCostAttributeWinsOverTheCatalog() {
        Span priced = genAi(SONNET).addAttributes(integer("tierflow.cost.micros", 42)).build();

        assertThat(single(decoder.decode(request(priced))).getCostMicros()).isEqualTo(42);
    }

    @Test
    void aModelWithoutPriceOrCostIsRejected() {
        Span unpriced = genAi("gpt-4o").build();
        Span unpricedButCosted = genAi("gpt-4o").addAttributes(integer("tierflow.cost.micros", 1_234)).build();

        OtlpDecoded decoded = decoder.decode(request(unpriced, unpricedButCosted));

        assertThat(decoded.rejected()).containsExactly(new OtlpRejectedSpan(TRACE_ID_HEX, SPAN_ID_HEX, "unpriced model 'gpt-4o'"));
        assertThat(decoded.spans()).extracting(ResultSpan::getModel, ResultSpan::getCostMicros).containsExactly(
                tuple("gpt-4o", 1_234L));
    }

    @Test
    void theResponseModelIsTheOneBilled() {
        Span span = span("chat", CALL_STARTED, CALL_ENDED)
                .addAttributes(string("gen_ai.request.model", "gpt-4o"))
                .addAttributes(string("gen_ai.response.model", SONNET))
                .addAttributes(integer("gen_ai.usage.input_tokens", 1_000))
                .build();

        ResultSpan decoded = single(decoder.decode(request(span)));

        assertThat(decoded.getModel()).isEqualTo(SONNET);
        assertThat(decoded.getCostMicros()).isEqualTo(3 * 1_000);
    }

    @Test
    void spansThatNameNoModelAreSkipped() {
        Span http = span("GET /v1/search", CALL_STARTED, CALL_ENDED)
                .addAttributes(string("http.request.method", "GET"))
                .addAttributes(integer("http.response.status_code", 200))
                .addAttributes(string("tierflow.task.id", "task-1"))
                .build();
        Span database = span("SELECT tasks", CALL_STARTED, CALL_ENDED)
                .addAttributes(string("db.system.name", "postgresql"))
                // an attribute TierFlow cannot read does not turn a skipped span into a rejected one
                .addAttributes(string("tierflow.attempt", "first"))
                .build();

        OtlpDecoded decoded = decoder.decode(request(http, genAi(SONNET).build(), database));

        assertThat(decoded.skippedNonGenAi()).isEqualTo(2);
        assertThat(decoded.spans()).hasSize(1);
        assertThat(decoded.rejected()).isEmpty();
    }

    @Test
    void decodesEveryResourceAndScopeInOrder() {
        byte[] request = request(
                resource(List.of(string("tierflow.tenant", "acme")),
                        scope(List.of(), genAi(SONNET).addAttributes(string("tierflow.task.id", "a1")).build()),
                        scope(List.of(), genAi(SONNET).addAttributes(string("tierflow.task.id", "a2")).build(),
                                genAi(SONNET).addAttributes(string("tierflow.task.id", "a3")).build())),
                resource(List.of(string("tierflow.tenant", "globex")),
                        scope(List.of(), genAi(SONNET).addAttributes(string("tierflow.task.id", "g1")).build())));

        OtlpDecoded decoded = decoder.decode(request);

        assertThat(decoded.spans()).extracting(ResultSpan::getTaskId, ResultSpan::getTenant).containsExactly(
                tuple("a1", "acme"),
                tuple("a2", "acme"),
                tuple("a3", "acme"),
                tuple("g1", "globex"));
    }

    @Test
    void numbersSentAsStringsOrDoublesReadLikeInts() {
        Span asInts = span("chat", CALL_STARTED, CALL_ENDED)
                .addAttributes(string("gen_ai.request.model", SONNET))
                .addAttributes(integer("gen_ai.usage.input_tokens", 1_000))
                .addAttributes(integer("gen_ai.usage.output_tokens", 200))
                .addAttributes(integer("gen_ai.request.max_tokens", 512))
                .addAttributes(integer("tierflow.attempt", 1))
                .addAttributes(integer("tierflow.latency_ms", 2_400))
                .addAttributes(decimal("tierflow.quality", 1.0))
                .addAttributes(bool("tierflow.check.passed", true))
                .build();
        Span stringified = span("chat", CALL_STARTED, CALL_ENDED)
                .addAttributes(string("gen_ai.request.model", SONNET))
                .addAttributes(string("gen_ai.usage.input_tokens", "1000"))
                .addAttributes(decimal("gen_ai.usage.output_tokens", 200.0))
                .addAttributes(string("gen_ai.request.max_tokens", "512"))
                .addAttributes(string("tierflow.attempt", "1"))
                .addAttributes(string("tierflow.latency_ms", "2400"))
                .addAttributes(integer("tierflow.quality", 1))
                .addAttributes(string("tierflow.check.passed", "true"))
                .build();

        OtlpDecoded decoded = decoder.decode(request(asInts, stringified));

        assertThat(decoded.rejected()).isEmpty();
        assertThat(decoded.spans()).hasSize(2);
        assertThat(decoded.spans().get(1)).isEqualTo(decoded.spans().get(0));
        assertThat(decoded.spans().get(0).getAttempt()).isEqualTo(1);
    }

    @Test
    void unreadableOrNegativeAttributesRejectTheSpan() {
        Span words = genAi(SONNET).setSpanId(ByteString.copyFrom(new byte[8]))
                .addAttributes(string("gen_ai.usage.output_tokens", "many")).build();
        Span negative = genAi(SONNET).addAttributes(integer("tierflow.cost.micros", -5)).build();
        Span unknownStatus = genAi(SONNET).addAttributes(string("tierflow.status", "DONE")).build();
        Span moreCachedThanInput = genAi(SONNET).addAttributes(integer("tierflow.cached_input_tokens", 5_000)).build();

        OtlpDecoded decoded = decoder.decode(request(words, negative, unknownStatus, moreCachedThanInput));

        assertThat(decoded.spans()).isEmpty();
        assertThat(decoded.rejected()).extracting(OtlpRejectedSpan::spanId).first().isEqualTo("0000000000000000");
        assertThat(decoded.rejected()).extracting(OtlpRejectedSpan::reason).satisfiesExactly(
                reason -> assertThat(reason).isEqualTo("attribute 'gen_ai.usage.output_tokens' must be a non-negative integer, was 'many'"),
                reason -> assertThat(reason).isEqualTo("attribute 'tierflow.cost.micros' must be a non-negative integer, was -5"),
                reason -> assertThat(reason).contains("'tierflow.status'", "BUDGET_EXHAUSTED", "'DONE'"),
                reason -> assertThat(reason).contains("cachedInputTokens", "5000", "1000"));
    }

    @Test
    void aSpanWithoutTaskIdIsKeptWithAnEmptyTaskIdAndItsOtlpSpanId() {
        Span anonymous = genAi(SONNET).build();

        OtlpDecoded decoded = decoder.decode(request(anonymous));

        assertThat(decoded.rejected()).isEmpty();
        ResultSpan span = single(decoded);
        assertThat(span.getTaskId()).isEmpty();
        assertThat(span.getSpanId()).isEqualTo(SPAN_ID_HEX);
        assertThat(span.getRunId()).isEqualTo(TRACE_ID_HEX);
    }

    @Test
    void bytesThatAreNoExportRequestAreUnreadable() {
        // field 1 (resource_spans), length 5, but the record ends after one byte
        byte[] truncated = {0x0a, 0x05, 0x01};
        byte[] json = "{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_8);
        // parses, but only as an unknown field: field 1 as a varint, where resource_spans is a message
        byte[] foreign = {0x08, 0x01};

        assertThat(decoder.decode(truncated).unreadableReason()).startsWith("not an OTLP ExportTraceServiceRequest: ");
        assertThat(decoder.decode(json).unreadableReason()).startsWith("not an OTLP ExportTraceServiceRequest");
        assertThat(decoder.decode(foreign).unreadableReason()).contains("only unknown fields");
        assertThat(decoder.decode(null).unreadableReason()).contains("tombstone");
        OtlpDecoded garbage = decoder.decode(truncated);
        assertThat(garbage.spans()).isEmpty();
        assertThat(garbage.rejected()).isEmpty();
    }

    @Test
    void anEmptyRequestIsReadableAndHoldsNothing() {
        OtlpDecoded decoded = decoder.decode(new byte[0]);

        assertThat(decoded.unreadableReason()).isNull();
        assertThat(decoded.spans()).isEmpty();
    }

    @Test
    void dimensionsOfTheResourceOrScopeApplyWhenTheSpanLacksThem() {
        byte[] request = request(resource(List.of(string("tierflow.tenant", "acme"), string("tierflow.role", "planner")),
                scope(List.of(string("tierflow.role", "coder")),
                        genAi(SONNET).build(),
                        genAi(SONNET).addAttributes(string("tierflow.tenant", "globex")).build())));

        OtlpDecoded decoded = decoder.decode(request);

        assertThat(decoded.spans()).extracting(ResultSpan::getTenant, ResultSpan::getRole).containsExactly(
                tuple("acme", "coder"),
                tuple("globex", "coder"));
    }

    @Test
    void theProviderFallsBackToTheOlderGenAiSystemAttribute() {
        Span older = genAi(SONNET).addAttributes(string("gen_ai.system", "anthropic")).build();
        Span both = genAi(SONNET).addAttributes(string("gen_ai.system", "anthropic"))
                .addAttributes(string("gen_ai.provider.name", "aws.bedrock")).build();

        assertThat(decoder.decode(request(older, both)).spans()).extracting(ResultSpan::getProvider)
                .containsExactly("anthropic", "aws.bedrock");
    }

    @Test
    void withoutTierflowStatusAnOtlpErrorOrErrorTypeMeansError() {
        Span otlpError = genAi(SONNET).setStatus(Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("connection reset")).build();
        Span errorType = genAi(SONNET).addAttributes(string("error.type", "RateLimitError")).build();
        Span fine = genAi(SONNET).setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)).build();

        assertThat(decoder.decode(request(otlpError, errorType, fine)).spans())
                .extracting(ResultSpan::getStatus, ResultSpan::getCheckDetail)
                .containsExactly(
                        tuple(SpanStatus.ERROR, "connection reset"),
                        tuple(SpanStatus.ERROR, "RateLimitError"),
                        tuple(SpanStatus.OK, null));
    }

    @Test
    void theDecoderSurvivesJavaSerializationAsFlinkShipsIt() throws IOException, ClassNotFoundException {
        byte[] request = request(genAi(SONNET).build());

        OtlpSpanDecoder shipped = deserialize(serialize(decoder));

        assertThat(shipped.decode(request)).isEqualTo(decoder.decode(request));
        assertThat(single(shipped.decode(request)).getCostMicros()).isEqualTo(3 * 1_000 + 15 * 200);
    }

    /** A GenAI span with the minimal attributes: a request model, 1000 input and 200 output tokens. */
    private static Span.Builder genAi(String model) {
        return span("chat " + model, CALL_STARTED, CALL_ENDED)
                .addAttributes(string("gen_ai.request.model", model))
                .addAttributes(integer("gen_ai.usage.input_tokens", 1_000))
                .addAttributes(integer("gen_ai.usage.output_tokens", 200));
    }

    /** A result as the worker writes it, every field set; the cost deliberately not the catalog's. */
    private static ResultSpan.Builder workerResult() {
        return ResultSpan.newBuilder()
                .setTaskId("task-7").setRunId("run-3").setSpanId("task-7#0").setAttempt(0)
                .setRole("coder").setTaskType("refactor").setTenant("acme").setTier("large")
                .setModel(SONNET).setProvider("anthropic").setFallbackFrom(null).setMaxOutputTokens(2_048)
                .setInputTokens(12_000).setOutputTokens(900).setCachedInputTokens(4_000).setCostMicros(31_337)
                .setLatencyMs(2_400).setStatus(SpanStatus.OK)
                .setQuality(null).setCheckPassed(null).setCheckDetail(null).setEscalated(false)
                .setStartedAt(CALL_STARTED).setEndedAt(CALL_STARTED.plusMillis(2_500));
    }

    private static ResultSpan single(OtlpDecoded decoded) {
        assertThat(decoded.rejected()).isEmpty();
        assertThat(decoded.spans()).hasSize(1);
        return decoded.spans().get(0);
    }

    private static byte[] serialize(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    private static OtlpSpanDecoder deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (OtlpSpanDecoder) in.readObject();
        }
    }
}
