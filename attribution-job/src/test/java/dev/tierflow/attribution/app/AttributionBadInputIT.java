package dev.tierflow.attribution.app;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.StuckTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.ResultSpanBuilder;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison among good records, on the real broker and registry: spans with absurd numbers, names crafted
 * to land in another scope or to dodge a tenant's budget, and event times far from the (fixed) wall
 * clock. The job must finish, attribute the good spans exactly, and put every bad record on
 * {@code attribution.dlq} with its reason and its original bytes.
 */
@ExtendWith(TierFlowInfraExtension.class)
class AttributionBadInputIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T = TestInstants.BEGINNING;
    /** The wall clock while the job reads: ten minutes after the story began. */
    private static final Instant NOW = T.plusSeconds(600);
    private static final String SMALL = "claude-haiku-4-5";

    @Test
    void goodSpansAreAttributedAndEveryBadRecordIsDeadLetteredWithItsReason(TierFlowInfra infra) throws Exception {
        KafkaJobFixture kafka = new KafkaJobFixture(infra);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, String> expectedReasons = new HashMap<>();
        Map<String, String> expectedDetails = new HashMap<>();
        // the good: two worker spans of tenant acme, 2,500 micro-dollars each
        records.add(routedAt(kafka, "g1", "worker", "extract", "acme", 1));
        records.add(kafka.span(span("g1").of("worker", "extract", "acme").tier("small", SMALL).tokens(2_000, 100).cost(2_500)
                .endedAt(T.plusSeconds(5)).build()));
        records.add(routedAt(kafka, "g2", "worker", "extract", "acme", 2));
        records.add(kafka.span(span("g2").of("worker", "extract", "acme").tier("small", SMALL).tokens(1_000, 300).cost(2_500)
                .endedAt(T.plusSeconds(9)).build()));
        // absurd numbers on spans of routed attempts: those attempts end up stuck, the spans in the DLQ
        poisonSpan(kafka, records, expectedReasons, expectedDetails, "b1", 3, span("b1").tokens(Long.MAX_VALUE, 100).cost(2_500), "inputTokens must be at most");
        poisonSpan(kafka, records, expectedReasons, expectedDetails, "b2", 4, span("b2").cost(-5), "costMicros must not be negative");
        poisonSpan(kafka, records, expectedReasons, expectedDetails, "b3", 5, span("b3").quality(Double.NaN), "quality must be within [0, 1], was NaN");
        poisonSpan(kafka, records, expectedReasons, expectedDetails, "b6", 6, span("b6").of("worker", "extract", "acme/x"), "tenant 'acme/x'");
        // a role that would land in role=worker/type=extract, and a tenant that is not quite acme: task and span both
        ProducerRecord<byte[], byte[]> pollutingTask = routedAt(kafka, "b4", "worker/type=extract", "plan", "acme", 7);
        records.add(pollutingTask);
        expectedReasons.put("tasks.small:b4", "INVALID_FIELD");
        records.add(kafka.span(span("b4").of("worker/type=extract", "plan", "acme").tier("small", SMALL).cost(1_000_000)
                .endedAt(T.plusSeconds(8)).build()));
        expectedReasons.put("results.small:b4", "INVALID_FIELD");
        records.add(routedAt(kafka, "b5", "worker", "extract", "acme\u0000", 8));
        expectedReasons.put("tasks.small:b5", "INVALID_FIELD");
        records.add(kafka.span(span("b5").of("worker", "extract", "acme\u0000").tier("small", SMALL).cost(777_000)
                .endedAt(T.plusSeconds(10)).build()));
        expectedReasons.put("results.small:b5", "INVALID_FIELD");
        // event times: a span from an hour after the wall clock, a task from eight days before it
        records.add(routedAt(kafka, "f1", "worker", "extract", "acme", 9));
        records.add(kafka.span(span("f1").of("worker", "extract", "acme").tier("small", SMALL).endedAt(NOW.plusSeconds(3600)).build()));
        expectedReasons.put("results.small:f1", "EVENT_TIME_OUT_OF_BOUNDS");
        records.add(kafka.routed(routed(task("p1").role("worker").type("extract").tenant("acme").build()).tier("small", SMALL)
                .at(NOW.minus(Duration.ofDays(8))).build()));
        expectedReasons.put("tasks.small:p1", "EVENT_TIME_OUT_OF_BOUNDS");
        records.sort(Comparator.comparing(ProducerRecord::timestamp));
        kafka.produce(records);

        AttributionSettings settings = kafka.settings("bad-input", Map.of(AttributionSettings.EVENT_TIME_MAX_PAST, "7 d"));
        // one restart at most: a job that fails on a poison record fails again on every restart from its checkpoint
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(settings.parallelism());
        AttributionPipeline.attach(env, settings, kafka.policy, kafka.prices, Clock.fixed(NOW, ZoneOffset.UTC));
        env.execute("attribution with bad input");

        List<CostQualityStats> stats = kafka.readCommitted(Topics.STATS.name(), Map.of(), kafka.avro(CostQualityStats.class));
        CostQualityStats extract = window(stats, "role=worker/type=extract", T);
        assertThat(extract.getCount()).as("spans counted in role=worker/type=extract").isEqualTo(2);
        assertThat(extract.getCostMicros()).isEqualTo(2_500 + 2_500);
        assertThat(extract.getInputTokens()).isEqualTo(2_000 + 1_000);
        assertThat(window(stats, "tenant=acme", T).getCostMicros()).isEqualTo(2_500 + 2_500);
        assertThat(stats).extracting(CostQualityStats::getScope)
                .noneMatch(scope -> scope.contains("\u0000") || scope.contains("type=plan") || scope.contains("acme/x"));
        assertThat(stats).allSatisfy(s -> assertThat(s.getCostMicros()).isLessThanOrEqualTo(5_000 + 300L));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readCommitted(Topics.ATTRIBUTION_DLQ.name(), Map.of());
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
            String where = header(letter, DeadLetterHeaders.SOURCE_TOPIC) + ":" + new String(letter.key(), StandardCharsets.UTF_8);
            assertThat(reasons.put(where, header(letter, DeadLetterHeaders.REASON))).as("one dead letter for %s", where).isNull();
            assertThat(header(letter, DeadLetterHeaders.DETAIL)).isNotBlank().startsWith(expectedDetails.getOrDefault(where, ""));
        }
        assertThat(reasons).isEqualTo(expectedReasons);
        assertThat(deadLetters).anySatisfy(letter -> {
            assertThat(letter.value()).isEqualTo(pollutingTask.value());
            assertThat(header(letter, DeadLetterHeaders.DETAIL)).startsWith("role 'worker/type=extract' must not contain '/'");
        });
        assertThat(deadLetters).anySatisfy(letter -> assertThat(header(letter, DeadLetterHeaders.DETAIL))
                .startsWith("inputTokens must be at most 100000000, was 9223372036854775807"));

        List<StuckTask> stuck = kafka.readCommitted(Topics.STUCK.name(), Map.of(), kafka.avro(StuckTask.class));
        assertThat(stuck).extracting(StuckTask::getTaskId).containsExactlyInAnyOrder("b1", "b2", "b3", "b6", "f1");
        assertThat(kafka.readCommitted(Topics.UNMATCHED.name(), Map.of())).isEmpty();
        assertThat(kafka.readCommitted(Topics.LATE.name(), Map.of())).isEmpty();
    }

    private static void poisonSpan(KafkaJobFixture kafka, List<ProducerRecord<byte[], byte[]>> records, Map<String, String> reasons,
                                   Map<String, String> details, String taskId, int second, ResultSpanBuilder span, String detail) {
        records.add(routedAt(kafka, taskId, "worker", "extract", "acme", second));
        ProducerRecord<byte[], byte[]> poison = kafka.span(span.tier("small", SMALL).endedAt(T.plusSeconds(second + 2)).build());
        records.add(poison);
        reasons.put("results.small:" + taskId, "INVALID_FIELD");
        details.put("results.small:" + taskId, detail);
    }

    private static ProducerRecord<byte[], byte[]> routedAt(KafkaJobFixture kafka, String taskId, String role, String type, String tenant,
                                                          int second) {
        return kafka.routed(routed(task(taskId).role(role).type(type).tenant(tenant).build()).tier("small", SMALL)
                .at(T.plusSeconds(second)).build());
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
