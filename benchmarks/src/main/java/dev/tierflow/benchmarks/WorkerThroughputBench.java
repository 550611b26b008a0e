package dev.tierflow.benchmarks;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.worker.runtime.AttemptOutcome;
import dev.tierflow.worker.runtime.AttemptRunner;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput of the tier worker against a plain transactional consume→produce loop of the same
 * records, in one run: a real KRaft broker (in this JVM), the real Apicurio Registry (a child process), N
 * routed tasks for the small tier produced once, then per round the plain loop and the real
 * {@link dev.tierflow.worker.runtime.TierWorker} (simulator backend, not waiting) each as a child JVM with
 * identical flags and classpath, each reading all N from the beginning in its own consumer group.
 *
 * <p>Throughput is observed from outside, as in {@link RouterThroughputBench}: the committed offsets of the
 * group on {@code tasks.small} (committed in the output transaction) are polled, timed from the first
 * progress to the last offset. Outputs are checked with read_committed consumers: {@code bench.plain} must hold
 * N per plain run, {@code results.small} N spans per worker run and {@code tasks} exactly the escalations the
 * same runner gives for the same tasks (computed in this process beforehand) per worker run.
 */
@Command(name = "worker-throughput-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Spans/s and peak RSS of the TierFlow worker (simulator backend) vs a plain transactional consume-produce loop.")
public final class WorkerThroughputBench implements Callable<Integer> {

    private static final ResultTable TABLE = new ResultTable(7, "spans/s");
    private static final String TASKS_TOPIC = Topics.routedTasks(WorkerBenchTasks.TIER).name();
    private static final String RESULTS_TOPIC = Topics.results(WorkerBenchTasks.TIER).name();

    @Option(names = "--records", defaultValue = "50000", description = "routed tasks to produce (default ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--partitions", defaultValue = "3", description = "partitions of tasks.small and the output topics (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--rounds", defaultValue = "2", description = "rounds of plain + worker (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--concurrency", defaultValue = "16",
            description = "the worker's concurrent calls; both apps poll at most 4 x this records (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--jvm-flags", defaultValue = ChildApp.DEFAULT_JVM_FLAGS,
            description = "JVM flags of both child apps, identical for both (default: ${DEFAULT-VALUE})")
    String jvmFlags;

    @Option(names = "--seed", defaultValue = "20261123", description = "task mix and simulator seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--app-timeout", defaultValue = "300", description = "seconds an app may take to process all records (default ${DEFAULT-VALUE})")
    int appTimeoutSeconds;

    @Option(names = "--work-dir", description = "where broker data and child logs go (default: a new temporary directory)")
    Path workDir;

    @Option(names = "--keep-work-dir", description = "keep the work directory after a successful run (it is always kept after a failure)")
    boolean keepWorkDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerThroughputBench()).execute(args));
    }

    enum App {
        PLAIN(WorkerWorkload.Mode.plain), WORKER(WorkerWorkload.Mode.worker);

        final WorkerWorkload.Mode mode;

        App(WorkerWorkload.Mode mode) {
            this.mode = mode;
        }

        String label() {
            return mode.name();
        }
    }

    record Run(int round, App app, Measurement measurement) {
    }

    @Override
    public Integer call() throws Exception {
        if (records <= 0 || partitions <= 0 || rounds <= 0 || concurrency <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--records, --partitions, --rounds and --concurrency must be positive");
        }
        Path work = WorkDirectory.create(workDir, "tierflow-worker-bench-");
        ChildApp.stopRunningChildOnExit();
        System.out.printf(Locale.ROOT, "TierFlow worker throughput bench: %,d records, %d partitions, %d rounds, concurrency %d; JVM %s, %d cores%n",
                records, partitions, rounds, concurrency, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("child JVM flags (both apps): " + jvmFlags);
        System.out.println("work directory: " + work);
        System.out.println("load average at start: " + ProcStats.loadAverage());
        return BenchInfrastructure.runIn(work, !keepWorkDir && workDir == null, this::bench);
    }

    private boolean bench(Path work, String bootstrap, String registryUrl) throws Exception {
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        List<Run> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long escalationsPerRun;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TASKS_TOPIC, partitions, (short) 1), new NewTopic(RESULTS_TOPIC, partitions, (short) 1),
                    new NewTopic(Topics.TASKS.name(), partitions, (short) 1),
                    new NewTopic(WorkerWorkload.PLAIN_TOPIC, partitions, (short) 1))).all().get();
            escalationsPerRun = produceTasks(bootstrap, serdes);
            List<TopicPartition> taskPartitions = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                taskPartitions.add(new TopicPartition(TASKS_TOPIC, p));
            }
            long endOffsets = admin.listOffsets(taskPartitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().values().stream().mapToLong(info -> info.offset()).sum();
            if (endOffsets != records) {
                throw new IllegalStateException(TASKS_TOPIC + " holds " + endOffsets + " offsets, expected " + records);
            }
            System.out.printf(Locale.ROOT, "expected per worker run: %,d spans on %s, %,d escalations on %s%n", records, RESULTS_TOPIC,
                    escalationsPerRun, Topics.TASKS.name());
            System.out.println();
            System.out.println(TABLE.header());
            for (int round = 1; round <= rounds; round++) {
                List<App> order = round % 2 == 1 ? List.of(App.PLAIN, App.WORKER) : List.of(App.WORKER, App.PLAIN);
                for (App app : order) {
                    Run run = runChild(work, admin, app, round, bootstrap, registryUrl, endOffsets);
                    runs.add(run);
                    System.out.println(TABLE.row(run.round(), app.label(), run.measurement()));
                    long appRounds = runs.stream().filter(r -> r.app() == app).count();
                    failures.addAll(verify(bootstrap, app, appRounds, escalationsPerRun));
                }
            }
        }
        System.out.println();
        summarize(runs);
        System.out.println("load average at end: " + ProcStats.loadAverage()
                + " (other processes on the machine compete for the same cores)");
        if (failures.isEmpty()) {
            System.out.println("output verified: " + WorkerWorkload.PLAIN_TOPIC + " " + records + " records per plain run; "
                    + RESULTS_TOPIC + " " + records + " spans and " + Topics.TASKS.name() + " " + escalationsPerRun
                    + " escalations per worker run (read_committed counts)");
            return true;
        }
        failures.forEach(f -> System.out.println("VERIFICATION FAILED: " + f));
        return false;
    }

    /** Produces the routed tasks once; returns how many escalations one worker run must write (the same runner, here). */
    private long produceTasks(String bootstrap, AvroSerdes serdes) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
        WorkerBenchTasks tasks = new WorkerBenchTasks(seed);
        // The simulator is deterministic per (seed, task, attempt, tier): this runner gives the children's outcomes.
        AttemptRunner runner = new AttemptRunner(SimulatedModelBackend.withDefaults(seed), WorkerBenchTasks.prices(), new OutputChecker(),
                Clock.systemUTC(), false);
        Map<String, Long> statuses = new LinkedHashMap<>();
        long escalations = 0;
        long contracts = 0;
        AtomicReference<Exception> failed = new AtomicReference<>();
        AtomicLong valueBytes = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<String, RoutedTask> producer = new KafkaProducer<>(config, new StringSerializer(),
                serdes.avro(RoutedTask.class, false).serializer())) {
            for (int i = 0; i < records && failed.get() == null; i++) {
                RoutedTask task = tasks.next();
                producer.send(new ProducerRecord<>(TASKS_TOPIC, task.getTask().getTaskId(), task), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    } else {
                        valueBytes.addAndGet(metadata.serializedValueSize());
                    }
                });
                AttemptOutcome outcome = runner.run(task);
                statuses.merge(outcome.span().getStatus().name(), 1L, Long::sum);
                escalations += outcome.escalation() != null ? 1 : 0;
                contracts += task.getTask().getOutputContract() != null ? 1 : 0;
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing tasks failed", failed.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "produced %,d routed tasks (avg value %d bytes, %,d with an output contract) in %.1f s"
                + " (incl. running each once here for the expected outcomes)%n", records, valueBytes.get() / records, contracts, seconds);
        System.out.println("expected span statuses per worker run: " + statuses);
        return escalations;
    }

    private Run runChild(Path work, Admin admin, App app, int round, String bootstrap, String registryUrl, long target) throws Exception {
        String group = "bench-" + app.label() + "-r" + round;
        Path log = work.resolve("logs").resolve(group + ".log");
        ChildApp child = ChildApp.start(app.label(), jvmFlags, List.of(), WorkerWorkload.class, List.of(app.mode.name(),
                "--bootstrap", bootstrap, "--registry", registryUrl, "--group", group, "--transactional-id", group + "-tx",
                "--concurrency", String.valueOf(concurrency), "--seed", String.valueOf(seed)), log);
        try {
            GroupProgress progress = new GroupProgress(admin, TASKS_TOPIC, Duration.ofSeconds(appTimeoutSeconds));
            return new Run(round, app, progress.measure(child, group, target));
        } finally {
            child.stop();
        }
    }

    private List<String> verify(String bootstrap, App app, long appRounds, long escalationsPerRun) {
        Map<String, Long> expected = new LinkedHashMap<>();
        if (app == App.PLAIN) {
            expected.put(WorkerWorkload.PLAIN_TOPIC, appRounds * records);
        } else {
            expected.put(RESULTS_TOPIC, appRounds * records);
            expected.put(Topics.TASKS.name(), appRounds * escalationsPerRun);
        }
        Map<String, Long> actual = CommittedCounts.read(bootstrap, expected.keySet()).perTopic();
        return actual.equals(expected) ? List.of()
                : List.of("after " + app.label() + " run " + appRounds + ": read_committed counts " + actual + ", expected " + expected);
    }

    private static void summarize(List<Run> runs) {
        System.out.printf(Locale.ROOT, "%-7s  %12s  %14s  %18s  %17s%n", "app", "best spans/s", "median spans/s", "least app µs/rec",
                "max peak RSS MB");
        double[] best = new double[2];
        double[] median = new double[2];
        double[] cpu = new double[2];
        for (App app : App.values()) {
            List<Measurement> measured = runs.stream().filter(r -> r.app() == app).map(Run::measurement).toList();
            double[] rates = measured.stream().mapToDouble(Measurement::recordsPerSecond).sorted().toArray();
            best[app.ordinal()] = ResultTable.max(rates);
            median[app.ordinal()] = ResultTable.median(rates);
            cpu[app.ordinal()] = measured.stream().mapToDouble(Measurement::childCpuMicrosPerRecord).min().orElse(0);
            double rss = measured.stream().mapToDouble(Measurement::peakRssMb).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-7s  %,12.0f  %,14.0f  %18.1f  %17.0f%n", app.label(), best[app.ordinal()],
                    median[app.ordinal()], cpu[app.ordinal()], rss);
        }
        System.out.printf(Locale.ROOT, "worker/plain spans/s: median %.3f, best %.3f%n", median[1] / median[0], best[1] / best[0]);
        System.out.printf(Locale.ROOT, "plain/worker app CPU per record (least of each): %.3f%n", cpu[0] / cpu[1]);
    }
}
