package dev.tierflow.benchmarks;

import dev.tierflow.router.decision.LiveOverrides;
import dev.tierflow.router.decision.RejectedTaskException;
import dev.tierflow.router.decision.TaskRouter;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput of the router against a plain Kafka Streams passthrough, in one run on one machine:
 * a real KRaft broker (in this JVM) and the real Apicurio Registry (a child process), N tasks produced
 * once, then per round the passthrough and the router each as a separate child JVM with identical JVM
 * flags, each reading all N tasks from the beginning under its own application id.
 *
 * <p>Throughput is observed from outside: this process polls the app's committed offsets on {@code tasks}
 * (with exactly-once they commit inside the output transaction) and times from the first observed progress
 * to the last offset, counting only the records committed in that interval, so JVM start-up, group join
 * and registry look-ups are not measured. Each child's peak RSS (VmHWM) is read just before it is stopped.
 * Outputs are verified with read_committed consumers: the passthrough topic must hold N records per
 * passthrough round, the tier topics and the dead-letter topic exactly the counts the routing decision
 * gives for the same tasks, per router round.
 */
@Command(name = "router-throughput-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Throughput and peak RSS of the TierFlow router vs a Kafka Streams passthrough (exactly_once_v2).")
public final class RouterThroughputBench implements Callable<Integer> {

    private static final ResultTable TABLE = new ResultTable(11, "records/s");

    @Option(names = "--records", defaultValue = "200000", description = "tasks to produce (default ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--partitions", defaultValue = "3", description = "partitions of every topic but policy (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--rounds", defaultValue = "2", description = "rounds of passthrough + router (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--jvm-flags", defaultValue = ChildApp.DEFAULT_JVM_FLAGS,
            description = "JVM flags of both child apps, identical for both (default: ${DEFAULT-VALUE})")
    String jvmFlags;

    @Option(names = "--rejected-share", defaultValue = "0.001",
            description = "share of tasks past maxAttempts, dead-lettered by the router (default ${DEFAULT-VALUE})")
    double rejectedShare;

    @Option(names = "--seed", defaultValue = "20261123", description = "task mix seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--app-timeout", defaultValue = "300", description = "seconds an app may take to process all records (default ${DEFAULT-VALUE})")
    int appTimeoutSeconds;

    @Option(names = "--datum-provider", defaultValue = "default",
            description = "default: the registry serdes exactly as TierFlow configures them. apicurio: both apps use"
                    + " Apicurio's stock DefaultAvroDatumProvider (a schema fingerprint per record), for comparison")
    String datumProvider;

    @Option(names = "--jfr", description = "record a JFR profile (settings=profile) of every child app into the work directory")
    boolean jfr;

    @Option(names = "--work-dir", description = "where broker data, child logs and JFR files go (default: a new temporary directory)")
    Path workDir;

    @Option(names = "--keep-work-dir", description = "keep the work directory after a successful run (it is always kept after a failure)")
    boolean keepWorkDir;

    /** Average serialized value size of each app's output records, from the verification read. */
    private final Map<App, Long> outputValueBytes = new java.util.EnumMap<>(App.class);

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterThroughputBench()).execute(args));
    }

    enum App {
        PASSTHROUGH(StreamsWorkload.Mode.passthrough), ROUTER(StreamsWorkload.Mode.router);

        final StreamsWorkload.Mode mode;

        App(StreamsWorkload.Mode mode) {
            this.mode = mode;
        }

        String label() {
            return mode.name();
        }
    }

    /** One app's run in one round. */
    record Run(int round, App app, Measurement measurement) {
    }

    @Override
    public Integer call() throws Exception {
        if (records <= 0 || partitions <= 0 || rounds <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--records, --partitions and --rounds must be positive");
        }
        Path work = WorkDirectory.create(workDir, "tierflow-bench-");
        ChildApp.stopRunningChildOnExit();
        System.out.printf(Locale.ROOT, "TierFlow router throughput bench: %,d records, %d partitions, %d rounds; JVM %s, %d cores%n",
                records, partitions, rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("child JVM flags (both apps): " + jvmFlags);
        if (!"default".equals(datumProvider)) {
            System.out.println("EXPERIMENT: both apps' registry serdes use --datum-provider " + datumProvider
                    + " (not TierFlow's configuration)");
        }
        System.out.println("work directory: " + work);
        System.out.println("load average at start: " + ProcStats.loadAverage());
        return BenchInfrastructure.runIn(work, !keepWorkDir && workDir == null, this::bench);
    }

    private boolean bench(Path work, String bootstrap, String registryUrl) throws Exception {
        Path policyFile = BenchPolicy.writeTo(work.resolve("policy.yaml"));
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        List<String> tierTopics = policy.tiers().stream().map(t -> Topics.routedTasks(t.name()).name()).toList();
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        List<Run> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            createTopics(admin, tierTopics);
            List<PolicyRule> rules = TaskMix.liveOverrides();
            produceOverrides(bootstrap, serdes, rules);
            Map<String, Long> expectedPerRouterRun = produceTasks(bootstrap, serdes, policy, BenchPolicy.overrides(policy, rules));
            List<TopicPartition> taskPartitions = partitionsOf(Topics.TASKS.name());
            long endOffsets = admin.listOffsets(taskPartitions.stream().collect(
                            java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().values().stream().mapToLong(info -> info.offset()).sum();
            if (endOffsets != records) {
                throw new IllegalStateException("tasks holds " + endOffsets + " offsets, expected " + records);
            }
            System.out.println("expected router output per run: " + expectedPerRouterRun);

            System.out.println();
            System.out.println(TABLE.header());
            for (int round = 1; round <= rounds; round++) {
                // Alternate the order, so neither app always runs against the warmer broker.
                List<App> order = round % 2 == 1 ? List.of(App.PASSTHROUGH, App.ROUTER) : List.of(App.ROUTER, App.PASSTHROUGH);
                for (App app : order) {
                    Run run = runChild(work, admin, app, round, bootstrap, registryUrl, policyFile, endOffsets);
                    runs.add(run);
                    System.out.println(TABLE.row(run.round(), app.label(), run.measurement()));
                    long appRounds = runs.stream().filter(r -> r.app() == app).count();
                    failures.addAll(verify(bootstrap, app, appRounds, expectedPerRouterRun));
                }
            }
        }
        System.out.println();
        summarize(runs);
        System.out.println("average output value size: passthrough " + outputValueBytes.get(App.PASSTHROUGH)
                + " bytes (AgentTask), router " + outputValueBytes.get(App.ROUTER) + " bytes (RoutedTask, which embeds the AgentTask)");
        System.out.println("load average at end: " + ProcStats.loadAverage() + " (other processes on the machine compete for the same cores)");
        if (failures.isEmpty()) {
            System.out.println("output verified: passthrough " + records + " records per run; router tier topics + DLQ match"
                    + " the routing decisions of the same tasks, per run (read_committed counts)");
            return true;
        }
        failures.forEach(f -> System.out.println("VERIFICATION FAILED: " + f));
        return false;
    }

    private void createTopics(Admin admin, List<String> tierTopics) throws ExecutionException, InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.TASKS.name(), partitions, (short) 1));
        tierTopics.forEach(name -> topics.add(new NewTopic(name, partitions, (short) 1)));
        topics.add(new NewTopic(Topics.TASKS_DLQ.name(), partitions, (short) 1));
        topics.add(new NewTopic(StreamsWorkload.PASSTHROUGH_TOPIC, partitions, (short) 1));
        // As the router's own provisioner makes it: compacted, one partition (read whole into a global store).
        topics.add(new NewTopic(Topics.POLICY.name(), Optional.of(1), Optional.of((short) 1))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        admin.createTopics(topics).all().get();
    }

    private static Properties producerConfig(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
        return config;
    }

    private static void produceOverrides(String bootstrap, AvroSerdes serdes, List<PolicyRule> rules) throws Exception {
        try (KafkaProducer<String, PolicyRule> producer = new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(),
                serdes.valueSerde(Topics.POLICY).serializer())) {
            for (PolicyRule rule : rules) {
                producer.send(new ProducerRecord<>(Topics.POLICY.name(), rule.getScope(), rule)).get();
            }
        }
    }

    /** Produces the tasks once and returns, per output topic, how many records one router run must write there. */
    private Map<String, Long> produceTasks(String bootstrap, AvroSerdes serdes, RoutingPolicy policy, LiveOverrides overrides)
            throws Exception {
        TaskRouter router = new TaskRouter(policy);
        long now = System.currentTimeMillis();
        Map<String, Long> expected = new LinkedHashMap<>();
        policy.tiers().forEach(t -> expected.put(Topics.routedTasks(t.name()).name(), 0L));
        expected.put(Topics.TASKS_DLQ.name(), 0L);
        TaskMix mix = new TaskMix(seed, rejectedShare);
        AtomicReference<Exception> failed = new AtomicReference<>();
        AtomicLong valueBytes = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<String, AgentTask> producer = new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(),
                serdes.valueSerde(Topics.TASKS).serializer())) {
            for (int i = 0; i < records && failed.get() == null; i++) {
                AgentTask task = mix.next();
                String topic;
                try {
                    Tier tier = router.decide(task, overrides, now).tier();
                    topic = Topics.routedTasks(tier.name()).name();
                } catch (RejectedTaskException rejected) {
                    topic = Topics.TASKS_DLQ.name();
                }
                expected.merge(topic, 1L, Long::sum);
                producer.send(new ProducerRecord<>(Topics.TASKS.name(), task.getTaskId(), task), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    } else {
                        valueBytes.addAndGet(metadata.serializedValueSize());
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing tasks failed", failed.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "produced %,d tasks (avg value %d bytes) in %.1f s: %,.0f records/s (acks=all, linger 5 ms, batch 64 KB,"
                        + " incl. generating and deciding each task)%n",
                records, valueBytes.get() / records, seconds, records / seconds);
        return expected;
    }

    private Run runChild(Path work, Admin admin, App app, int round, String bootstrap, String registryUrl, Path policyFile,
                         long target) throws Exception {
        String applicationId = "bench-" + app.label() + "-r" + round;
        Path log = work.resolve("logs").resolve(applicationId + ".log");
        List<String> jfrFlags = jfr ? List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                + work.resolve(applicationId + ".jfr").toAbsolutePath()) : List.of();
        ChildApp child = ChildApp.start(app.label(), jvmFlags, jfrFlags, StreamsWorkload.class, List.of(app.mode.name(),
                "--bootstrap", bootstrap, "--registry", registryUrl, "--application-id", applicationId,
                "--state-dir", work.resolve("state").resolve(applicationId).toAbsolutePath().toString(),
                "--policy", policyFile.toAbsolutePath().toString(), "--datum-provider", datumProvider), log);
        try {
            GroupProgress progress = new GroupProgress(admin, Topics.TASKS.name(), Duration.ofSeconds(appTimeoutSeconds));
            return new Run(round, app, progress.measure(child, applicationId, target));
        } finally {
            child.stop();
        }
    }

    /** Checks the outputs after the {@code appRounds}-th run of {@code app}; returns what is wrong. */
    private List<String> verify(String bootstrap, App app, long appRounds, Map<String, Long> expectedPerRouterRun) {
        Map<String, Long> expected = new LinkedHashMap<>();
        if (app == App.PASSTHROUGH) {
            expected.put(StreamsWorkload.PASSTHROUGH_TOPIC, appRounds * records);
        } else {
            expectedPerRouterRun.forEach((topic, count) -> expected.put(topic, appRounds * count));
        }
        CommittedCounts counts = CommittedCounts.read(bootstrap, expected.keySet());
        Map<String, Long> actual = counts.perTopic();
        long total = counts.total();
        outputValueBytes.put(app, total == 0 ? 0 : counts.valueBytes() / total);
        if (app == App.ROUTER) {
            if (total != appRounds * records) {
                return List.of("after router run " + appRounds + " the tier topics + DLQ hold " + total + " records, expected "
                        + appRounds * records + " (" + actual + ")");
            }
        }
        return actual.equals(expected) ? List.of()
                : List.of("after " + app.label() + " run " + appRounds + ": read_committed counts " + actual + ", expected " + expected);
    }

    private static void summarize(List<Run> runs) {
        Map<App, double[]> rates = new HashMap<>();
        for (App app : App.values()) {
            rates.put(app, of(runs, app, Measurement::recordsPerSecond).sorted().toArray());
        }
        double bestPassthrough = ResultTable.max(rates.get(App.PASSTHROUGH));
        double bestRouter = ResultTable.max(rates.get(App.ROUTER));
        double medianPassthrough = ResultTable.median(rates.get(App.PASSTHROUGH));
        double medianRouter = ResultTable.median(rates.get(App.ROUTER));
        double routerPeakRss = of(runs, App.ROUTER, Measurement::peakRssMb).max().orElse(0);
        double passthroughPeakRss = of(runs, App.PASSTHROUGH, Measurement::peakRssMb).max().orElse(0);
        double cpuPassthrough = of(runs, App.PASSTHROUGH, Measurement::childCpuMicrosPerRecord).min().orElse(0);
        double cpuRouter = of(runs, App.ROUTER, Measurement::childCpuMicrosPerRecord).min().orElse(0);
        System.out.printf(Locale.ROOT, "%-11s  %14s  %16s  %18s  %17s%n", "app", "best records/s", "median records/s",
                "least app µs/rec", "max peak RSS MB");
        System.out.printf(Locale.ROOT, "%-11s  %,14.0f  %,16.0f  %18.1f  %17.0f%n", "passthrough", bestPassthrough, medianPassthrough,
                cpuPassthrough, passthroughPeakRss);
        System.out.printf(Locale.ROOT, "%-11s  %,14.0f  %,16.0f  %18.1f  %17.0f%n", "router", bestRouter, medianRouter, cpuRouter,
                routerPeakRss);
        double bestRatio = bestRouter / bestPassthrough;
        double medianRatio = medianRouter / medianPassthrough;
        // The run order alternates (P R, R P, ...), so over an even number of rounds both apps see the broker
        // equally warm on average: the median is the fairer figure; the best favours whichever ran last.
        System.out.printf(Locale.ROOT, "router/passthrough records/s: median %.3f (target >= 0.90: %s), best %.3f (%s)%n",
                medianRatio, medianRatio >= 0.90 ? "met" : "NOT met", bestRatio, bestRatio >= 0.90 ? "met" : "NOT met");
        System.out.printf(Locale.ROOT, "passthrough/router app CPU per record (least of each): %.3f%n", cpuPassthrough / cpuRouter);
        System.out.printf(Locale.ROOT, "router peak RSS: %.0f MB (target <= 512 MB: %s)%n", routerPeakRss,
                routerPeakRss <= 512 ? "met" : "NOT met");
    }

    /** One figure of each run of {@code app}. */
    private static DoubleStream of(List<Run> runs, App app, ToDoubleFunction<Measurement> figure) {
        return runs.stream().filter(r -> r.app() == app).mapToDouble(r -> figure.applyAsDouble(r.measurement()));
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            list.add(new TopicPartition(topic, p));
        }
        return list;
    }
}
