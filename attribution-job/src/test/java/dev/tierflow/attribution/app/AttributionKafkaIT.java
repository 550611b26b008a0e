package dev.tierflow.attribution.app;

import static dev.tierflow.attribution.otlp.OtlpRequests.integer;
import static dev.tierflow.attribution.otlp.OtlpRequests.request;
import static dev.tierflow.attribution.otlp.OtlpRequests.string;
import static dev.tierflow.attribution.otlp.OtlpRequests.workerSpan;
import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.attribution.otlp.OtlpRequests;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.StuckTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job on the real broker and registry, with Avro spans from workers and OTLP spans from an
 * OpenTelemetry Collector mixed on the input, and every output topic checked: stats, stuck, unmatched
 * and dead letters. Example policy: small = claude-haiku-4-5, mid = claude-sonnet-4-5, frontier =
 * claude-opus-4-6 (15 / 75 USD per million input / output tokens).
 */
@ExtendWith(TierFlowInfraExtension.class)
class AttributionKafkaIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T = TestInstants.BEGINNING;

    @Test
    void avroAndOtlpSpansAreAttributedAndNothingIsLost(TierFlowInfra infra) throws Exception {
        KafkaJobFixture kafka = new KafkaJobFixture(infra);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(kafka.routed(routed(task("r1").role("worker").type("extract").build()).tier("small", "claude-haiku-4-5").at(T.plusSeconds(1)).build()));
        records.add(kafka.routed(routed(task("r2").role("planner").type("plan").build()).tier("frontier", "claude-opus-4-6").at(T.plusSeconds(2)).build()));
        records.add(kafka.routed(routed(task("r3").role("worker").type("extract").build()).tier("small", "claude-haiku-4-5").at(T.plusSeconds(3)).build()));
        records.add(kafka.routed(routed(task("r4").role("critic").type("review").build()).tier("mid", "claude-sonnet-4-5").at(T.plusSeconds(4)).build()));
        records.add(kafka.routed(routed(task("r5").role("critic").type("review").build()).tier("mid", "claude-sonnet-4-5").at(T.plusSeconds(7)).build()));
        records.add(kafka.span(span("r1").of("worker", "extract", "acme").tier("small", "claude-haiku-4-5")
                .tokens(2_000, 100).cost(2_500).endedAt(T.plusSeconds(5)).build()));
        records.add(kafka.span(span("r2").of("planner", "plan", "acme").tier("frontier", "claude-opus-4-6")
                .tokens(1_000, 400).cost(45_000).endedAt(T.plusSeconds(6)).build()));
        records.add(kafka.span(span("orphan").of("worker", "extract", "acme").tier("small", "claude-haiku-4-5")
                .cost(77).endedAt(T.plusSeconds(8)).build()));
        // the Collector's record: the worker's own export of r3, another agent's minimal GenAI span for r5, an HTTP span
        ResultSpan r3 = span("r3").of("worker", "extract", "acme").tier("small", "claude-haiku-4-5")
                .tokens(1_000, 300).cost(2_500).endedAt(T.plusSeconds(9)).build();
        byte[] otlp = request(workerSpan(r3),
                OtlpRequests.span("chat", T.plusSeconds(9), T.plusSeconds(10))
                        .addAttributes(string("gen_ai.request.model", "claude-sonnet-4-5"))
                        .addAttributes(integer("gen_ai.usage.input_tokens", 1_000))
                        .addAttributes(integer("gen_ai.usage.output_tokens", 200))
                        .addAttributes(string("tierflow.task.id", "r5"))
                        .addAttributes(string("tierflow.role", "critic"))
                        .addAttributes(string("tierflow.tenant", "acme")).build(),
                OtlpRequests.span("GET /docs", T.plusSeconds(9), T.plusSeconds(10))
                        .addAttributes(string("http.request.method", "GET")).build());
        records.add(new ProducerRecord<>(Topics.OTLP_SPANS.name(), null, T.plusSeconds(10).toEpochMilli(), null, otlp));
        byte[] notAvro = "not avro".getBytes(StandardCharsets.UTF_8);
        records.add(new ProducerRecord<>(Topics.results("small").name(), 0, T.plusSeconds(11).toEpochMilli(), null, notAvro));
        records.add(new ProducerRecord<>(Topics.OTLP_SPANS.name(), 0, T.plusSeconds(12).toEpochMilli(), null, new byte[] {(byte) 0xff, 0x01}));
        records.sort(Comparator.comparing(ProducerRecord::timestamp));
        kafka.produce(records);

        AttributionSettings settings = kafka.settings("mixed", Map.of());
        AttributionPipeline.ensureTopics(settings, kafka.policy);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(settings.parallelism());
        AttributionPipeline.attach(env, settings, kafka.policy, kafka.prices);
        env.execute("attribution on kafka");

        List<CostQualityStats> stats = kafka.readCommitted(Topics.STATS.name(), Map.of(), kafka.avro(CostQualityStats.class));
        CostQualityStats worker = window(stats, "role=worker", T);
        assertThat(worker.getCount()).isEqualTo(2);
        assertThat(worker.getCostMicros()).isEqualTo(2_500 + 2_500);
        // at claude-opus-4-6 prices: r1 2000 × 15 + 100 × 75 = 37500; r3 1000 × 15 + 300 × 75 = 37500
        assertThat(worker.getFrontierCostMicros()).isEqualTo(37_500 + 37_500);
        // r5 came only through OTLP, without a cost: priced from the catalog, 1000 × 3 + 200 × 15 = 6000
        CostQualityStats critic = window(stats, "role=critic/type=review/tier=mid", T);
        assertThat(critic.getCount()).isEqualTo(1);
        assertThat(critic.getCostMicros()).isEqualTo(6_000);
        assertThat(window(stats, "tenant=acme", T).getCostMicros()).isEqualTo(2_500 + 45_000 + 2_500 + 6_000);

        List<StuckTask> stuck = kafka.readCommitted(Topics.STUCK.name(), Map.of(), kafka.avro(StuckTask.class));
        assertThat(stuck).extracting(StuckTask::getTaskId).containsExactly("r4");
        List<ResultSpan> unmatched = kafka.readCommitted(Topics.UNMATCHED.name(), Map.of(), kafka.avro(ResultSpan.class));
        assertThat(unmatched).extracting(ResultSpan::getTaskId).containsExactly("orphan");
        assertThat(kafka.readCommitted(Topics.LATE.name(), Map.of())).isEmpty();

        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readCommitted(Topics.ATTRIBUTION_DLQ.name(), Map.of());
        assertThat(deadLetters).hasSize(2).allSatisfy(letter ->
                assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE"));
        assertThat(deadLetters).anySatisfy(letter -> {
            assertThat(letter.value()).isEqualTo(notAvro);
            assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("results.small");
        });
        assertThat(deadLetters).anySatisfy(letter -> assertThat(header(letter, DeadLetterHeaders.DETAIL))
                .startsWith("not an OTLP ExportTraceServiceRequest"));
    }

    private static CostQualityStats window(List<CostQualityStats> stats, String scope, Instant start) {
        List<CostQualityStats> matching = stats.stream()
                .filter(s -> s.getScope().equals(scope) && s.getWindowStart().equals(start)).toList();
        assertThat(matching).as("%s window at %s", scope, start).hasSize(1);
        return matching.get(0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
