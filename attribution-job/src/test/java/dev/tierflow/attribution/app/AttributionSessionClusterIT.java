package dev.tierflow.attribution.app;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tierflow.attribution.otlp.OtlpRequests;
import dev.tierflow.flinksession.FlinkSessionCluster;
import dev.tierflow.flinksession.FlinkSessionOptions;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.StuckTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real Flink session cluster (JobManager and TaskManager in their own JVMs, the
 * job submitted over REST, Flink's child-first user-code class loading, records serialized between
 * processes) gives exactly the totals of the job on a MiniCluster in this JVM, for the same input: every
 * (scope, window) of {@code stats.role}, the stuck tasks, the unmatched spans. And the join's own counters
 * reach the TaskManager's Prometheus endpoint.
 *
 * <p>The input is deterministic (every value derived from the index, no randomness): 240 routed tasks over
 * 5 minutes of event time across 5 role/type pairs, 3 tiers and 3 tenants, a span for each but two (stuck),
 * and two spans without a routed task (unmatched). Qualities are multiples of 1/8, so their sums are exact in
 * any order and the means compare with {@code equals}.
 *
 * <p>Three runs over that input: the MiniCluster (bounded, the reference); the job jar on the cluster,
 * bounded, awaited to FINISHED; the job jar on the cluster, unbounded, for the metrics. A bounded job's
 * operator metrics are unregistered as soon as its tasks finish, possibly before a scrape sees their final
 * values, so polling them would be a race. The unbounded run keeps its tasks (and their metrics) until it is
 * cancelled. To make it fire every window and timer like the bounded runs, once its source has committed the
 * input's end offsets each input partition gets a flush record an hour later in event time that the job
 * dead-letters (undecodable), which moves the watermark past everything but adds nothing to the stats. Then
 * the counters are scraped (exact values, summed over the subtasks), the job is cancelled, and its stats
 * must equal the reference too.
 */
@ExtendWith(TierFlowInfraExtension.class)
class AttributionSessionClusterIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T = TestInstants.BEGINNING;
    private static final Path JOB_JAR = Path.of("target/tierflow-attribution-job-0.1.0-SNAPSHOT-job.jar");
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private static final int TASKS = 240;
    private static final Set<Integer> STUCK_INDICES = Set.of(41, 173);
    private static final List<String> ORPHANS = List.of("orphan-1", "orphan-2");
    private static final int MATCHED = TASKS - STUCK_INDICES.size();
    /** A 60 s window sliding by 20 s: each span counts in 3 windows of each scope. */
    private static final int WINDOWS_PER_SPAN = 3;

    private static final String[][] ROLE_TYPES = {
            {"worker", "extract"}, {"worker", "summarize"}, {"planner", "plan"}, {"critic", "review"}, {"file-ops", "move-file"}};
    private static final String[][] TIERS = {
            {"small", "claude-haiku-4-5"}, {"mid", "claude-sonnet-4-5"}, {"frontier", "claude-opus-4-6"}};
    private static final String[] TENANTS = {"acme", "globex", "initech"};

    private static final String OPERATOR_METRIC = "flink_taskmanager_job_task_operator_";

    @Test
    void theJobJarOnASessionClusterGivesTheMiniClustersTotals(TierFlowInfra infra, @TempDir Path clusterDir) throws Exception {
        assertThat(JOB_JAR).as("the shaded job jar, built in package before failsafe runs").isRegularFile();
        long started = System.nanoTime();
        // the cluster's JVMs start while this one produces the input and runs the MiniCluster
        CompletableFuture<FlinkSessionCluster> starting =
                CompletableFuture.supplyAsync(() -> FlinkSessionCluster.start(clusterDir, FlinkSessionOptions.defaults()));
        try {
            KafkaJobFixture kafka = new KafkaJobFixture(infra);
            List<ProducerRecord<byte[], byte[]>> records = input(kafka);
            kafka.produce(records);
            long totalCost = 0;
            for (int i = 0; i < TASKS; i++) {
                totalCost += STUCK_INDICES.contains(i) ? 0 : cost(i);
            }

            // Run 1, the reference: the job on a MiniCluster in this JVM
            Run reference = run(kafka, "minicluster", () -> {
                AttributionSettings settings = kafka.settings("minicluster", Map.of());
                AttributionPipeline.ensureTopics(settings, kafka.policy);
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
                env.setParallelism(settings.parallelism());
                AttributionPipeline.attach(env, settings, kafka.policy, kafka.prices);
                env.execute("attribution on a MiniCluster");
            });
            log("minicluster run", started);
            // a window may hold only a stuck task (count 0); every other one has a cost
            List<CostQualityStats> counted = reference.stats.values().stream().filter(s -> s.getCount() > 0).toList();
            assertThat(counted).as("(scope, window) entries with spans in the reference run").hasSizeGreaterThan(50);
            assertThat(counted).allSatisfy(s -> assertThat(s.getCostMicros()).as("cost of %s @ %s", s.getScope(), s.getWindowStart()).isPositive());
            long tenantCount = reference.stats.values().stream().filter(s -> s.getScope().startsWith("tenant="))
                    .mapToLong(CostQualityStats::getCount).sum();
            long tenantCost = reference.stats.values().stream().filter(s -> s.getScope().startsWith("tenant="))
                    .mapToLong(CostQualityStats::getCostMicros).sum();
            assertThat(tenantCount).as("matched spans × windows per span, over the tenant scopes").isEqualTo((long) MATCHED * WINDOWS_PER_SPAN);
            assertThat(tenantCost).as("the spans' costs × windows per span, over the tenant scopes").isEqualTo(totalCost * WINDOWS_PER_SPAN);
            assertThat(reference.stuck).as("stuck task ids of the reference run")
                    .containsExactlyInAnyOrderElementsOf(STUCK_INDICES.stream().map(AttributionSessionClusterIT::taskId).toList());
            assertThat(reference.unmatched).as("unmatched span ids of the reference run")
                    .containsExactlyInAnyOrderElementsOf(ORPHANS.stream().map(o -> o + "#0").toList());

            FlinkSessionCluster cluster = starting.join();
            log("cluster up", started);

            // Run 2: the shaded job jar over REST, bounded, to FINISHED
            Run bounded = run(kafka, "cluster-bounded", () -> {
                String jobId = cluster.rest().submit(JOB_JAR, null, jobArgs(kafka, "cluster-bounded", true), 2);
                awaitState(cluster, jobId, "FINISHED");
            });
            log("cluster bounded run", started);
            assertSameOutput(bounded, reference);

            // Run 3: unbounded, so the operators (and their metrics) stay until cancelled
            Map<TopicPartition, Long> unboundedFrom = kafka.endOffsets(Topics.STATS.name());
            Run unbounded = run(kafka, "cluster-unbounded", () -> {
                String jobId = cluster.rest().submit(JOB_JAR, null, jobArgs(kafka, "cluster-unbounded", false), 2);
                awaitState(cluster, jobId, "RUNNING");
                // once the job has read all the input, the flush fires the remaining windows and timers
                awaitInputRead(kafka, "attribution-cluster-unbounded");
                kafka.produce(flush(kafka));
                Map<String, Double> counters = awaitCounters(cluster, jobId, MATCHED + ORPHANS.size() + STUCK_INDICES.size());
                assertThat(counters).as("the join's counters on %s, summed over subtasks", cluster.taskManagerMetricsUrl())
                        .containsEntry(OPERATOR_METRIC + "spansMatched", (double) MATCHED)
                        .containsEntry(OPERATOR_METRIC + "spansUnmatched", (double) ORPHANS.size())
                        .containsEntry(OPERATOR_METRIC + "tasksStuck", (double) STUCK_INDICES.size())
                        .containsEntry(OPERATOR_METRIC + "spansLate", 0.0)
                        .containsEntry(OPERATOR_METRIC + "routedDuplicates", 0.0);
                // the windows fire on the same watermark as the join's timers; their output commits at a checkpoint
                Awaitility.await("the unbounded run's stats to reach the reference's " + reference.stats.size() + " records")
                        .atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500))
                        .until(() -> statsSince(kafka, unboundedFrom).size() >= reference.stats.size());
                cluster.rest().cancel(jobId);
                awaitState(cluster, jobId, "CANCELED");
            });
            log("cluster unbounded run", started);
            assertSameOutput(unbounded, reference);
        } finally {
            // at once if it is up, else as soon as it is
            starting.thenAccept(FlinkSessionCluster::close);
        }
    }

    /** What one run wrote, read between the end offsets before and after it. */
    private record Run(Map<String, CostQualityStats> stats, List<String> stuck, List<String> unmatched) {
    }

    @FunctionalInterface
    private interface JobRun {
        void run() throws Exception;
    }

    private static Run run(KafkaJobFixture kafka, String name, JobRun job) throws Exception {
        Map<TopicPartition, Long> stats = kafka.endOffsets(Topics.STATS.name());
        Map<TopicPartition, Long> stuck = kafka.endOffsets(Topics.STUCK.name());
        Map<TopicPartition, Long> unmatched = kafka.endOffsets(Topics.UNMATCHED.name());
        Map<TopicPartition, Long> late = kafka.endOffsets(Topics.LATE.name());
        job.run();
        Map<String, CostQualityStats> byWindow = new TreeMap<>();
        for (CostQualityStats s : statsSince(kafka, stats)) {
            CostQualityStats before = byWindow.put(s.getScope() + " @ " + s.getWindowStart(), s);
            assertThat(before).as("%s: a second record for %s @ %s", name, s.getScope(), s.getWindowStart()).isNull();
        }
        List<String> stuckIds = kafka.readCommitted(Topics.STUCK.name(), stuck, kafka.avro(StuckTask.class))
                .stream().map(StuckTask::getTaskId).sorted().toList();
        List<String> unmatchedIds = kafka.readCommitted(Topics.UNMATCHED.name(), unmatched, kafka.avro(ResultSpan.class))
                .stream().map(ResultSpan::getSpanId).sorted().toList();
        List<String> lateIds = kafka.readCommitted(Topics.LATE.name(), late, kafka.avro(ResultSpan.class))
                .stream().map(ResultSpan::getSpanId).sorted().toList();
        // every span is in event-time order on its partition: none may be late, in any run
        assertThat(lateIds).as("%s: late spans", name).isEmpty();
        return new Run(byWindow, stuckIds, unmatchedIds);
    }

    private static List<CostQualityStats> statsSince(KafkaJobFixture kafka, Map<TopicPartition, Long> from) {
        return kafka.readCommitted(Topics.STATS.name(), from, kafka.avro(CostQualityStats.class));
    }

    private static void assertSameOutput(Run actual, Run reference) {
        assertThat(actual.stats.keySet()).as("(scope, window) entries").containsExactlyElementsOf(reference.stats.keySet());
        reference.stats.forEach((key, expected) ->
                assertThat(actual.stats.get(key)).as("stats of %s", key).isEqualTo(expected));
        assertThat(actual.stuck).as("stuck task ids").isEqualTo(reference.stuck);
        assertThat(actual.unmatched).as("unmatched span ids").isEqualTo(reference.unmatched);
    }

    /** The job jar's flags for the fixture's settings: its own group and transactional ids, absolute file paths. */
    private static List<String> jobArgs(KafkaJobFixture kafka, String run, boolean bounded) {
        Properties all = kafka.properties(run, Map.of(AttributionSettings.BOUNDED, Boolean.toString(bounded)));
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", all.getProperty("bootstrap.servers"),
                "--registry-url", all.getProperty("apicurio.registry.url"),
                "--policy", KafkaJobFixture.POLICY.toAbsolutePath().normalize().toString(),
                "--prices", KafkaJobFixture.PRICES.toAbsolutePath().normalize().toString()));
        all.stringPropertyNames().stream().sorted()
                .filter(key -> key.startsWith("tierflow.attribution."))
                .filter(key -> !key.equals(AttributionSettings.POLICY_FILE) && !key.equals(AttributionSettings.PRICES_FILE))
                .forEach(key -> args.addAll(List.of("-D", key + "=" + all.getProperty(key))));
        return args;
    }

    private static void awaitState(FlinkSessionCluster cluster, String jobId, String state) {
        try {
            cluster.rest().awaitState(jobId, state, JOB_TIMEOUT);
        } catch (RuntimeException e) {
            fail("job " + jobId + " on the session cluster did not reach " + state + ": " + e.getMessage()
                    + "\n--- cluster logs ---\n" + cluster.logTails(), e);
        }
    }

    /**
     * Waits until the source has committed the input's end offsets for {@code groupId} (it commits on each
     * completed checkpoint): every input record has then been through the join, whose checkpoint completed too.
     */
    private static void awaitInputRead(KafkaJobFixture kafka, String groupId) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        inputTopics(kafka).forEach(topic -> ends.putAll(kafka.endOffsets(topic)));
        Awaitility.await("group " + groupId + " to commit the input's end offsets " + ends)
                .atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> kafka.infra.admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                                .get(10, TimeUnit.SECONDS),
                        committed -> ends.entrySet().stream().allMatch(end -> {
                            OffsetAndMetadata offset = committed.get(end.getKey());
                            return (offset == null ? 0 : offset.offset()) >= end.getValue();
                        }));
    }

    /**
     * Scrapes the TaskManager's Prometheus endpoint until the join has decided {@code decided} input records
     * (matched + unmatched + stuck, summed over the subtasks of {@code jobId}); returns the join's counters.
     */
    private static Map<String, Double> awaitCounters(FlinkSessionCluster cluster, String jobId, long decided) {
        HttpClient http = HttpClient.newHttpClient();
        List<String> summed = List.of(OPERATOR_METRIC + "spansMatched", OPERATOR_METRIC + "spansUnmatched", OPERATOR_METRIC + "tasksStuck");
        return Awaitility.await("the join's counters " + summed + " for job " + jobId + " at "
                        + cluster.taskManagerMetricsUrl() + " to add up to " + decided)
                .atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> joinCounters(http, cluster.taskManagerMetricsUrl(), jobId),
                        counters -> summed.stream().mapToDouble(name -> counters.getOrDefault(name, 0.0)).sum() >= decided);
    }

    /**
     * The join's counters of one job in Prometheus text format, each summed over its series (the subtasks); any
     * operator metric whose name mentions spans or tasks, so that a renamed one shows in a failure message.
     */
    private static Map<String, Double> joinCounters(HttpClient http, String url, String jobId)
            throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String jobLabel = "job_id=\"" + jobId + "\"";
        return body.lines()
                .filter(line -> line.startsWith(OPERATOR_METRIC) && line.contains(jobLabel))
                .filter(line -> line.substring(0, line.indexOf('{')).matches(".*_(spans|tasks|routed)[A-Z].*"))
                .collect(Collectors.groupingBy(line -> line.substring(0, line.indexOf('{')), TreeMap::new,
                        Collectors.summingDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))));
    }

    /**
     * Routed tasks and their spans every 1.25 s over 5 minutes, two tasks without a span, two spans without a
     * task; sorted by event time.
     */
    private static List<ProducerRecord<byte[], byte[]>> input(KafkaJobFixture kafka) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            String[] roleType = ROLE_TYPES[i % ROLE_TYPES.length];
            String[] tier = TIERS[(i / 2) % TIERS.length];
            String tenant = TENANTS[(i / 3) % TENANTS.length];
            Instant routedAt = T.plusMillis(1_250L * i);
            records.add(kafka.routed(routed(task(taskId(i)).role(roleType[0]).type(roleType[1]).tenant(tenant).build())
                    .tier(tier[0], tier[1]).at(routedAt).build()));
            if (STUCK_INDICES.contains(i)) {
                continue;
            }
            records.add(kafka.span(span(taskId(i)).of(roleType[0], roleType[1], tenant).tier(tier[0], tier[1])
                    .tokens(200 + 50L * (i % 17), 40 + 20L * (i % 11))
                    .cost(cost(i))
                    .quality((i % 8) / 8.0)
                    .checkPassed(i % 5 != 0)
                    .escalated(i % 11 == 0)
                    .latency(Duration.ofMillis(300 + 100L * (i % 9)))
                    .endedAt(routedAt.plusSeconds(1 + i % 7)).build()));
        }
        for (int o = 0; o < ORPHANS.size(); o++) {
            records.add(kafka.span(span(ORPHANS.get(o)).of("worker", "extract", "acme").tier("small", "claude-haiku-4-5")
                    .tokens(500, 100).cost(900).endedAt(T.plusSeconds(100 + 100L * o)).build()));
        }
        records.sort(Comparator.comparing(ProducerRecord::timestamp));
        return records;
    }

    /**
     * One record per input partition an hour later in event time, undecodable: dead-lettered, but it moves each
     * partition's watermark past every window and timer. Only for the unbounded run, once it has read the rest:
     * the source creates a partition's watermark output when that partition's first record arrives, so a
     * far-future record read first would make everything after it late.
     */
    /**
     * Valid records an hour after the input, one on every input partition, so that every partition's
     * watermark passes the input's last timers: dead letters, undecodable records included, move no
     * watermark. Their ids match nothing and they are never emitted, since nothing passes their own deadlines.
     */
    private static List<ProducerRecord<byte[], byte[]>> flush(KafkaJobFixture kafka) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Instant flushAt = T.plus(Duration.ofHours(1));
        for (int partition = 0; partition < KafkaJobFixture.PARTITIONS; partition++) {
            for (Tier tier : kafka.policy.tiers()) {
                String suffix = tier.name() + "-" + partition;
                records.add(onPartition(partition, kafka.routed(routed(task("flush-task-" + suffix).role("flush").type("flush")
                        .tenant("flush").build()).tier(tier.name(), tier.model()).at(flushAt).build())));
                records.add(onPartition(partition, kafka.span(span("flush-span-" + suffix).of("flush", "flush", "flush")
                        .tier(tier.name(), tier.model()).endedAt(flushAt).build())));
            }
            byte[] otlp = OtlpRequests.request(OtlpRequests.span("chat", flushAt.minusSeconds(1), flushAt)
                    .addAttributes(OtlpRequests.string("gen_ai.request.model", kafka.policy.tiers().get(0).model()))
                    .addAttributes(OtlpRequests.integer("gen_ai.usage.input_tokens", 1))
                    .addAttributes(OtlpRequests.integer("gen_ai.usage.output_tokens", 1))
                    .addAttributes(OtlpRequests.string("tierflow.task.id", "flush-otlp-" + partition))
                    .addAttributes(OtlpRequests.string("tierflow.role", "flush"))
                    .addAttributes(OtlpRequests.string("tierflow.tenant", "flush")).build());
            records.add(new ProducerRecord<>(Topics.OTLP_SPANS.name(), partition, flushAt.toEpochMilli(), null, otlp));
        }
        return records;
    }

    private static ProducerRecord<byte[], byte[]> onPartition(int partition, ProducerRecord<byte[], byte[]> record) {
        return new ProducerRecord<>(record.topic(), partition, record.timestamp(), record.key(), record.value());
    }

    private static List<String> inputTopics(KafkaJobFixture kafka) {
        List<String> inputs = new ArrayList<>(List.of(Topics.OTLP_SPANS.name()));
        for (Tier tier : kafka.policy.tiers()) {
            inputs.add(Topics.routedTasks(tier.name()).name());
            inputs.add(Topics.results(tier.name()).name());
        }
        return inputs;
    }

    private static String taskId(int i) {
        return "t" + i;
    }

    /** The span's own cost, higher on the dearer tiers. */
    private static long cost(int i) {
        return 100L * (1 + i % 13) * (1 + (i / 2) % TIERS.length);
    }

    private static void log(String what, long startedNanos) {
        System.out.printf("%s after %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }
}
