package dev.tierflow.attribution.io;

import static dev.tierflow.attribution.otlp.OtlpRequests.integer;
import static dev.tierflow.attribution.otlp.OtlpRequests.request;
import static dev.tierflow.attribution.otlp.OtlpRequests.string;
import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.otlp.OtlpRequests;
import dev.tierflow.attribution.otlp.OtlpSpanDecoder;
import dev.tierflow.attribution.validate.EventTimeBounds;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.testing.InMemoryRegistry;
import dev.tierflow.testing.RegistryOutage;
import dev.tierflow.testing.ResultSpanBuilder;
import dev.tierflow.testing.TestInstants;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The source's checks, record by record, through an in-memory registry and a fixed clock: what a worker,
 * a crafted producer or a skewed clock may put on the input topics, and where each record ends.
 */
class JoinInputDeserializerTest {

    /** The wall clock when the job reads: 30 s after the spans' default end. */
    private static final Instant NOW = TestInstants.BEGINNING.plusSeconds(30);
    private static final EventTimeBounds BOUNDS = new EventTimeBounds(Duration.ofDays(7), Duration.ofMinutes(1),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final Serializer<ResultSpan> spans = AvroSerdes.withClient(registry).avro(ResultSpan.class, false).serializer();
    private final Serializer<RoutedTask> tasks = AvroSerdes.withClient(registry).avro(RoutedTask.class, false).serializer();
    private final List<JoinInput> out = new ArrayList<>();

    static Stream<Arguments> absurdSpans() {
        return Stream.of(
                Arguments.of(span("t").tokens(Long.MAX_VALUE, 10), "inputTokens must be at most 100000000, was 9223372036854775807"),
                Arguments.of(span("t").tokens(10, -1), "outputTokens must not be negative, was -1"),
                Arguments.of(span("t").tokens(10, 10).cachedInputTokens(11), "cachedInputTokens are part of inputTokens"),
                Arguments.of(span("t").cost(10_000_000_001L), "costMicros must be at most 10000000000"),
                Arguments.of(span("t").cost(-300), "costMicros must not be negative, was -300"),
                Arguments.of(span("t").latency(Duration.ofMillis(-5)), "latencyMs must not be negative, was -5"),
                Arguments.of(span("t").quality(1.5), "quality must be within [0, 1], was 1.5"),
                Arguments.of(span("t").quality(Double.NaN), "quality must be within [0, 1], was NaN"),
                Arguments.of(span("t").of("worker/type=extract", "extract", "acme"), "role 'worker/type=extract' must not contain '/'"),
                Arguments.of(span("t").of("worker", "extract", "acme/x"), "tenant 'acme/x' must not contain '/'"),
                Arguments.of(span("t").of("worker", "extract", "acme\u0000"), "tenant 'acme\\u0000' must not contain control characters"),
                Arguments.of(span("t").tier("small", "model=*"), "model 'model=*' must not contain '='"));
    }

    @ParameterizedTest
    @MethodSource("absurdSpans")
    void anAbsurdAvroSpanIsDeadLetteredWithItsBytesAndTheFieldAtFault(ResultSpanBuilder span, String detail) throws Exception {
        byte[] bytes = spans.serialize("results.small", span.build());

        deserializer().deserialize(record("results.small", bytes), collector());

        assertThat(out).singleElement().satisfies(input -> {
            assertThat(input.deadLetter).isNotNull();
            assertThat(input.deadLetter.reason).isEqualTo("INVALID_FIELD");
            assertThat(input.deadLetter.detail).startsWith(detail);
            assertThat(input.deadLetter.value).isEqualTo(bytes);
            assertThat(input.deadLetter.topic).isEqualTo("results.small");
        });
    }

    @Test
    void aSpanWithinTheLimitsIsRead() throws Exception {
        ResultSpan good = span("t").tokens(100_000_000, 100_000_000).cachedInputTokens(100_000_000).cost(10_000_000_000L)
                .latency(Duration.ofDays(1)).quality(1.0).build();

        deserializer().deserialize(record("results.small", spans.serialize("results.small", good)), collector());

        assertThat(out).singleElement().satisfies(input -> assertThat(input.span).isEqualTo(good));
    }

    @Test
    void aRoutedTaskWithACraftedNameIsDeadLettered() throws Exception {
        byte[] bytes = tasks.serialize("tasks.small", routed(task("t").role("worker").type("extract").tenant("acme/other").build())
                .tier("small", "small-model").at(NOW).build());

        deserializer().deserialize(record("tasks.small", bytes), collector());

        assertThat(out).singleElement().satisfies(input -> {
            assertThat(input.deadLetter.reason).isEqualTo("INVALID_FIELD");
            assertThat(input.deadLetter.detail).startsWith("tenant 'acme/other' must not contain '/'");
            assertThat(input.deadLetter.value).isEqualTo(bytes);
        });
    }

    @Test
    void eventTimesBeyondTheBoundsAreDeadLetteredAndTheOthersRead() throws Exception {
        JoinInputDeserializer deserializer = deserializer();
        // 1 min ahead is the limit, 61 s is beyond; 7 days back is the limit, 7 days and 1 ms is beyond
        deserializer.deserialize(record("results.small", spans.serialize("results.small",
                span("future").endedAt(NOW.plusSeconds(61)).build())), collector());
        deserializer.deserialize(record("results.small", spans.serialize("results.small",
                span("past").endedAt(NOW.minus(Duration.ofDays(7)).minusMillis(1)).build())), collector());
        deserializer.deserialize(record("tasks.small", tasks.serialize("tasks.small",
                routed(task("far").build()).tier("small", "small-model").at(Instant.parse("2100-01-01T00:00:00Z")).build())), collector());
        deserializer.deserialize(record("results.small", spans.serialize("results.small",
                span("soon").endedAt(NOW.plusSeconds(60)).build())), collector());
        deserializer.deserialize(record("tasks.small", tasks.serialize("tasks.small",
                routed(task("old").build()).tier("small", "small-model").at(NOW.minus(Duration.ofDays(7))).build())), collector());

        assertThat(out).hasSize(5);
        assertThat(out.subList(0, 3)).allSatisfy(input -> assertThat(input.deadLetter.reason).isEqualTo("EVENT_TIME_OUT_OF_BOUNDS"));
        assertThat(out.get(0).deadLetter.detail).isEqualTo(
                "endedAt 2026-01-05T09:01:31Z is more than PT1M ahead of the wall clock (2026-01-05T09:00:30Z)");
        assertThat(out.get(1).deadLetter.detail).isEqualTo(
                "endedAt 2025-12-29T09:00:29.999Z is more than PT168H behind the wall clock (2026-01-05T09:00:30Z)");
        assertThat(out.get(2).deadLetter.detail).startsWith("routedAt 2100-01-01T00:00:00Z is more than PT1M ahead");
        assertThat(out.get(3).span.getTaskId()).isEqualTo("soon");
        assertThat(out.get(4).routed.taskId).isEqualTo("old");
    }

    @Test
    void anOtlpRecordKeepsItsGoodSpansAndIsDeadLetteredOnceForItsBadOnes() throws Exception {
        byte[] otlp = request(
                otlpSpan("good", "acme"),
                otlpSpan("crafted", "acme/x"),
                OtlpRequests.span("chat", NOW.minusSeconds(2), NOW.minusSeconds(1))
                        .addAttributes(string("gen_ai.request.model", "claude-haiku-4-5"))
                        .addAttributes(string("tierflow.task.id", "graded"))
                        .addAttributes(OtlpRequests.decimal("tierflow.quality", 1.5)).build());

        deserializer().deserialize(record("otlp_spans", otlp), collector());

        assertThat(out).hasSize(2);
        assertThat(out.get(0).span.getTaskId()).isEqualTo("good");
        assertThat(out.get(1).deadLetter.reason).isEqualTo("INVALID_FIELD");
        assertThat(out.get(1).deadLetter.detail).startsWith("2 span(s) rejected")
                .contains("tenant 'acme/x' must not contain '/'").contains("quality must be within [0, 1], was 1.5");
        assertThat(out.get(1).deadLetter.value).isEqualTo(otlp);
    }

    @Test
    void anOtlpSpanOutOfTheEventTimeBoundsIsDeadLetteredWithThatReason() throws Exception {
        byte[] otlp = request(OtlpRequests.span("chat", NOW.plusSeconds(3600), NOW.plusSeconds(3601))
                .addAttributes(string("gen_ai.request.model", "claude-haiku-4-5"))
                .addAttributes(string("tierflow.task.id", "ahead")).build());

        deserializer().deserialize(record("otlp_spans", otlp), collector());

        assertThat(out).singleElement().satisfies(input -> {
            assertThat(input.deadLetter.reason).isEqualTo("EVENT_TIME_OUT_OF_BOUNDS");
            assertThat(input.deadLetter.detail).startsWith("1 span(s) rejected: span ahead#0: endedAt 2026-01-05T10:00:31Z");
        });
    }

    @Test
    void anUnreachableRegistryFailsTheReadAndDeadLettersNothing() {
        byte[] bytes = spans.serialize("results.small", span("t").build());
        JoinInputDeserializer unreachable = new JoinInputDeserializer(Map.of(), Set.of("tasks.small"), Set.of("results.small"),
                "otlp_spans", null, BOUNDS) {
            @Override
            AvroSerdes serdes() {
                return AvroSerdes.withClient(RegistryOutage.connectionRefused(registry, Integer.MAX_VALUE));
            }
        };
        unreachable.open(null);

        assertThatThrownBy(() -> unreachable.deserialize(record("results.small", bytes), collector()))
                .isInstanceOf(IOException.class).hasMessageContaining("schema registry unreachable");
        assertThat(out).isEmpty();
    }

    private static io.opentelemetry.proto.trace.v1.Span otlpSpan(String taskId, String tenant) {
        return OtlpRequests.span("chat", NOW.minusSeconds(2), NOW.minusSeconds(1))
                .addAttributes(string("gen_ai.request.model", "claude-haiku-4-5"))
                .addAttributes(integer("gen_ai.usage.input_tokens", 1_000))
                .addAttributes(string("tierflow.task.id", taskId))
                .addAttributes(string("tierflow.tenant", tenant)).build();
    }

    private JoinInputDeserializer deserializer() {
        JoinInputDeserializer deserializer = new JoinInputDeserializer(Map.of(), Set.of("tasks.small"), Set.of("results.small"),
                "otlp_spans", new OtlpSpanDecoder(PriceCatalog.load(Path.of("../examples/prices.yaml"))), BOUNDS) {
            @Override
            AvroSerdes serdes() {
                return AvroSerdes.withClient(registry);
            }
        };
        deserializer.open(null);
        return deserializer;
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 7L, null, value);
    }

    private Collector<JoinInput> collector() {
        return new Collector<>() {
            @Override
            public void collect(JoinInput record) {
                out.add(record);
            }

            @Override
            public void close() {
            }
        };
    }
}
