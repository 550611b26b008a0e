package dev.tierflow.attribution.app;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tierflow.attribution.AttributionJob;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.StuckTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly once through a failure: the same input is attributed twice, once without a failure and once
 * with the job failing mid-stream after a completed checkpoint (then restarting from it). Every window's
 * totals must be identical to the micro-dollar, and no window may appear twice in the committed output.
 * Both runs' totals per role, tenant and model must also equal the sums the test adds up itself from the
 * spans it produced (the windows that start at a multiple of their size tile time, so they add up to the
 * whole), so the two runs cannot agree on a wrong answer.
 */
@ExtendWith(TierFlowInfraExtension.class)
class AttributionExactlyOnceIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T = TestInstants.BEGINNING;
    private static final int TASKS = 30_000;
    private static final String[] ROLES = {"planner", "worker", "worker", "worker", "critic", "file-ops"};
    private static final String[] TENANTS = {"acme", "globex", "initech"};
    /**
     * The tier models' prices in examples/prices.yaml, input and output: USD per million tokens are
     * micro-dollars per token (small: claude-haiku-4-5, mid: claude-sonnet-4-5, frontier: claude-opus-4-6).
     */
    private static final Map<String, long[]> PRICES = Map.of("small", new long[] {1, 5}, "mid", new long[] {3, 15},
            "frontier", new long[] {15, 75});
    private static final long FRONTIER_INPUT_MICROS = 15;
    private static final long FRONTIER_OUTPUT_MICROS = 75;
    /** The window size in KafkaJobFixture: windows starting at a multiple of it tile time. */
    private static final Duration WINDOW_SIZE = Duration.ofSeconds(60);

    /** What the test itself adds up per scope from the records it produces. */
    private final Map<String, Totals> expected = new java.util.TreeMap<>();

    /** Sums per scope: spans, tokens, cost, the frontier counterfactual, stuck and unmatched attempts. */
    private static final class Totals {
        long count;
        long inputTokens;
        long outputTokens;
        long costMicros;
        long frontierCostMicros;
        long stuck;
        long unmatched;

        @Override
        public String toString() {
            return "count=" + count + " input=" + inputTokens + " output=" + outputTokens + " cost=" + costMicros
                    + " frontier=" + frontierCostMicros + " stuck=" + stuck + " unmatched=" + unmatched;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Totals t && t.toString().equals(toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }
    }

    @Test
    void windowTotalsAfterAFailureAndRestoreEqualARunWithoutFailure(TierFlowInfra infra) throws Exception {
        KafkaJobFixture kafka = new KafkaJobFixture(infra);
        kafka.produce(input(kafka));

        Map<TopicPartition, Long> beforeReference = kafka.endOffsets(Topics.STATS.name());
        Map<TopicPartition, Long> stuckBeforeReference = kafka.endOffsets(Topics.STUCK.name());
        run(kafka, kafka.settings("reference", Map.of()), false);
        Map<TopicPartition, Long> beforeFailover = kafka.endOffsets(Topics.STATS.name());
        Map<TopicPartition, Long> stuckBeforeFailover = kafka.endOffsets(Topics.STUCK.name());
        run(kafka, kafka.settings("failover", Map.of()), true);

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the job failed mid-stream after a completed checkpoint").isTrue();
        assertThat(FailOnceAfterCheckpoint.OPENED.get()).as("operator instances opened: 2 subtasks, then 2 after the restart").isEqualTo(4);

        List<CostQualityStats> reference = readBetween(kafka, beforeReference, beforeFailover);
        List<CostQualityStats> failover = readBetween(kafka, beforeFailover, kafka.endOffsets(Topics.STATS.name()));
        Map<String, CostQualityStats> referenceByWindow = byWindow(reference);
        Map<String, CostQualityStats> failoverByWindow = byWindow(failover);
        assertThat(referenceByWindow).hasSizeGreaterThan(100);
        assertThat(failoverByWindow.keySet()).isEqualTo(referenceByWindow.keySet());
        referenceByWindow.forEach((window, expected) -> {
            CostQualityStats actual = failoverByWindow.get(window);
            assertThat(actual.getCostMicros()).as("cost of %s", window).isEqualTo(expected.getCostMicros());
            assertThat(actual.getFrontierCostMicros()).as("frontier cost of %s", window).isEqualTo(expected.getFrontierCostMicros());
            assertThat(actual.getCount()).as("count of %s", window).isEqualTo(expected.getCount());
            assertThat(actual.getInputTokens()).as("input tokens of %s", window).isEqualTo(expected.getInputTokens());
            assertThat(actual.getOutputTokens()).as("output tokens of %s", window).isEqualTo(expected.getOutputTokens());
            assertThat(actual.getStuckCount()).as("stuck of %s", window).isEqualTo(expected.getStuckCount());
            assertThat(actual.getUnmatchedCount()).as("unmatched of %s", window).isEqualTo(expected.getUnmatchedCount());
            assertThat(actual.getQualitySamples()).as("quality samples of %s", window).isEqualTo(expected.getQualitySamples());
            if (expected.getQualityMean() != null) {
                // sums of doubles may be added in another order after the restore
                assertThat(actual.getQualityMean()).as("quality of %s", window).isCloseTo(expected.getQualityMean(), within(1e-9));
            }
            assertThat(actual.getLatencyP95Ms()).as("p95 of %s", window).isEqualTo(expected.getLatencyP95Ms());
        });
        long totalCost = reference.stream().filter(s -> s.getScope().startsWith("tenant=")).mapToLong(CostQualityStats::getCostMicros).sum();
        assertThat(totalCost).isPositive();
        assertThat(tiledTotals(reference)).as("reference run's totals per scope, against the input's").isEqualTo(expected);
        assertThat(tiledTotals(failover)).as("failover run's totals per scope, against the input's").isEqualTo(expected);

        List<String> stuckReference = stuckIds(kafka, stuckBeforeReference, stuckBeforeFailover);
        List<String> stuckFailover = stuckIds(kafka, stuckBeforeFailover, kafka.endOffsets(Topics.STUCK.name()));
        assertThat(stuckReference).hasSize(TASKS / 997 + 1).containsExactlyInAnyOrderElementsOf(stuckFailover);
    }

    private static void run(KafkaJobFixture kafka, AttributionSettings settings, boolean failOnce) throws Exception {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(settings.parallelism());
        // the job's own environment settings (checkpointing, object reuse), so the restore covers them too
        AttributionPipeline.configure(env, settings);
        DataStream<JoinInput> input = AttributionPipeline.readInput(env, settings, kafka.policy, kafka.prices);
        if (failOnce) {
            input = input.map(new FailOnceAfterCheckpoint(TASKS / 2), TypeInformation.of(JoinInput.class))
                    .name("fail-once").uid("fail-once");
        }
        AttributionPipeline.writeOutputs(AttributionJob.defineWorkflow(input, AttributionPipeline.parameters(settings, kafka.policy, kafka.prices)),
                settings);
        env.execute("attribution " + settings.groupId());
    }

    /** Tasks over 5 minutes of event time (one per 10 ms): every 997th gets no span, every 1009th span has no task. */
    private List<ProducerRecord<byte[], byte[]>> input(KafkaJobFixture kafka) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            String role = ROLES[i % ROLES.length];
            String type = role + "-" + (i % 2 == 0 ? "a" : "b");
            String tenant = TENANTS[i % TENANTS.length];
            String tier = i % 10 < 6 ? "small" : i % 10 < 9 ? "mid" : "frontier";
            String model = kafka.policy.tier(tier).model();
            Instant routedAt = T.plusMillis(10L * i);
            records.add(kafka.routed(routed(task("t" + i).role(role).type(type).tenant(tenant).build()).tier(tier, model).at(routedAt).build()));
            if (i % 997 != 0) {
                long input = 500 + (i % 13) * 100;
                long output = 100 + (i % 7) * 50;
                long cost = input * PRICES.get(tier)[0] + output * PRICES.get(tier)[1];
                long frontierCost = tier.equals("frontier") ? cost : input * FRONTIER_INPUT_MICROS + output * FRONTIER_OUTPUT_MICROS;
                for (String scope : List.of("role=" + role, "tenant=" + tenant)) {
                    Totals totals = expected.computeIfAbsent(scope, s -> new Totals());
                    totals.count++;
                    totals.inputTokens += input;
                    totals.outputTokens += output;
                    totals.costMicros += cost;
                    totals.frontierCostMicros += frontierCost;
                }
                records.add(kafka.span(span("t" + i).of(role, type, tenant).tier(tier, model).tokens(input, output)
                        .cost(cost).quality((i % 10) / 10.0)
                        .checkPassed(i % 5 != 0).latency(Duration.ofMillis(200 + (i % 17) * 30))
                        .endedAt(routedAt.plusMillis(200 + (i % 17) * 30)).build()));
            }
            if (i % 997 == 0) {
                expected.computeIfAbsent("role=" + role, s -> new Totals()).stuck++;
                expected.computeIfAbsent("tenant=" + tenant, s -> new Totals()).stuck++;
            }
            if (i % 1009 == 0) {
                // the builder's defaults: 1,000 input and 200 output tokens; counted under its model only
                Totals orphans = expected.computeIfAbsent("model=claude-haiku-4-5", s -> new Totals());
                orphans.count++;
                orphans.unmatched++;
                orphans.inputTokens += 1_000;
                orphans.outputTokens += 200;
                orphans.costMicros += 10;
                orphans.frontierCostMicros += 1_000 * FRONTIER_INPUT_MICROS + 200 * FRONTIER_OUTPUT_MICROS;
                records.add(kafka.span(span("orphan" + i).tier("small", "claude-haiku-4-5").cost(10).endedAt(routedAt.plusMillis(5)).build()));
            }
        }
        records.sort(Comparator.comparing(ProducerRecord::timestamp));
        return records;
    }

    private static List<CostQualityStats> readBetween(KafkaJobFixture kafka, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        var decode = kafka.avro(CostQualityStats.class);
        return kafka.readCommitted(Topics.STATS.name(), from).stream()
                .filter(record -> record.offset() < to.get(new TopicPartition(record.topic(), record.partition())))
                .map(decode).toList();
    }

    private static List<String> stuckIds(KafkaJobFixture kafka, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        var decode = kafka.avro(StuckTask.class);
        return kafka.readCommitted(Topics.STUCK.name(), from).stream()
                .filter(record -> record.offset() < to.get(new TopicPartition(record.topic(), record.partition())))
                .map(decode).map(StuckTask::getTaskId).toList();
    }

    /** The totals per role, tenant and model scope over the windows that tile time (start at a multiple of their size). */
    private static Map<String, Totals> tiledTotals(List<CostQualityStats> stats) {
        Map<String, Totals> totals = new java.util.TreeMap<>();
        stats.stream()
                .filter(s -> s.getWindowStart().toEpochMilli() % WINDOW_SIZE.toMillis() == 0)
                .filter(s -> !s.getScope().contains("/"))
                .forEach(s -> {
                    Totals sum = totals.computeIfAbsent(s.getScope(), scope -> new Totals());
                    sum.count += s.getCount();
                    sum.inputTokens += s.getInputTokens();
                    sum.outputTokens += s.getOutputTokens();
                    sum.costMicros += s.getCostMicros();
                    sum.frontierCostMicros += s.getFrontierCostMicros();
                    sum.stuck += s.getStuckCount();
                    sum.unmatched += s.getUnmatchedCount();
                });
        return totals;
    }

    /** One record per scope and window: a window that appears twice would be counted twice downstream. */
    private static Map<String, CostQualityStats> byWindow(List<CostQualityStats> stats) {
        return stats.stream().collect(Collectors.toMap(s -> s.getScope() + "@" + s.getWindowStart(), Function.identity(), (a, b) -> {
            throw new AssertionError("window emitted twice: " + a.getScope() + "@" + a.getWindowStart());
        }));
    }

    /** Fails the job once, on a record after the first completed checkpoint, half-way through the input. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<JoinInput, JoinInput> implements CheckpointListener {
        static volatile boolean FAILED;
        static final AtomicInteger OPENED = new AtomicInteger();
        private static final AtomicBoolean FAILING = new AtomicBoolean();

        private final int afterRecords;
        private boolean checkpointCompleted;
        private int records;

        FailOnceAfterCheckpoint(int afterRecords) {
            this.afterRecords = afterRecords;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            OPENED.incrementAndGet();
        }

        @Override
        public JoinInput map(JoinInput input) {
            records++;
            if (checkpointCompleted && records >= afterRecords && FAILING.compareAndSet(false, true)) {
                FAILED = true;
                throw new IllegalStateException("injected failure after " + records + " records");
            }
            return input;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointCompleted = true;
        }
    }
}
