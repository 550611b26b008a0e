package dev.tierflow.benchmarks;

import dev.tierflow.embedded.ApicurioRegistryServer;
import dev.tierflow.embedded.KRaftBroker;
import dev.tierflow.embedded.Ports;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.worker.runtime.AttemptOutcome;
import dev.tierflow.worker.runtime.AttemptRunner;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux x86-64
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

    @Option(names = "--jvm-flags", defaultValue = RouterThroughputBench.DEFAULT_JVM_FLAGS,
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

    private final AtomicReference<Process> runningChild = new AtomicReference<>();

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

    record Run(int round, App app, long records, double seconds, double childCores, double benchCores, long peakRssKb) {

        double recordsPerSecond() {
            return records / seconds;
        }

        double peakRssMb() {
            return peakRssKb / 1024.0;
        }

        double childCpuMicrosPerRecord() {
            return childCores * seconds * 1e6 / records;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (records <= 0 || partitions <= 0 || rounds <= 0 || concurrency <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--records, --partitions, --rounds and --concurrency must be positive");
        }
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("tierflow-worker-bench-");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopRunningChild, "stop-bench-child"));
        System.out.printf(Locale.ROOT, "TierFlow worker throughput bench: %,d records, %d partitions, %d rounds, concurrency %d; JVM %s, %d cores%n",
                records, partitions, rounds, concurrency, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("child JVM flags (both apps): " + jvmFlags);
        System.out.println("work directory: " + work);
        System.out.println("load average at start: " + RouterThroughputBench.loadAverage());
        boolean ok = false;
        try {
            ok = runWithInfrastructure(work);
            return ok ? 0 : 1;
        } finally {
            if (ok && !keepWorkDir && workDir == null) {
                deleteRecursively(work);
            } else {
                System.out.println("kept " + work);
            }
        }
    }

    private boolean runWithInfrastructure(Path work) throws Exception {
        long started = System.nanoTime();
        CompletableFuture<ApicurioRegistryServer> pendingRegistry = CompletableFuture.supplyAsync(
                () -> ApicurioRegistryServer.start(ApicurioRegistryServer.Settings.defaults().withLogDir(work.resolve("logs"))));
        KRaftBroker broker = null;
        ApicurioRegistryServer registry = null;
        try {
            int[] ports = Ports.freePorts(2);
            broker = KRaftBroker.start(new KRaftBroker.Settings(ports[0], ports[1], work.resolve("kafka")));
            registry = pendingRegistry.join();
            System.out.printf(Locale.ROOT, "broker %s and registry %s up in %.1f s%n", broker.bootstrapServers(), registry.url(),
                    (System.nanoTime() - started) / 1e9);
            return bench(work, broker.bootstrapServers(), registry.url());
        } finally {
            if (registry == null) {
                try {
                    pendingRegistry.join().close();
                } catch (RuntimeException failedToStart) {
                    // nothing to close
                }
            } else {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
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
            System.out.println(header());
            for (int round = 1; round <= rounds; round++) {
                List<App> order = round % 2 == 1 ? List.of(App.PLAIN, App.WORKER) : List.of(App.WORKER, App.PLAIN);
                for (App app : order) {
                    Run run = runChild(work, admin, app, round, bootstrap, registryUrl, endOffsets);
                    runs.add(run);
                    System.out.println(row(run));
                    long appRounds = runs.stream().filter(r -> r.app() == app).count();
                    failures.addAll(verify(bootstrap, app, appRounds, escalationsPerRun));
                }
            }
        }
        System.out.println();
        summarize(runs);
        System.out.println("load average at end: " + RouterThroughputBench.loadAverage()
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
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerWorkload.class.getName(), app.mode.name(),
                "--bootstrap", bootstrap, "--registry", registryUrl, "--group", group, "--transactional-id", group + "-tx",
                "--concurrency", String.valueOf(concurrency), "--seed", String.valueOf(seed)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        runningChild.set(child);
        try {
            return measure(admin, app, round, group, child, log, target);
        } finally {
            stop(child);
            runningChild.set(null);
        }
    }

    private Run measure(Admin admin, App app, int round, String group, Process child, Path log, long target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(appTimeoutSeconds);
        long firstSeenAt = -1;
        long committedAtFirst = 0;
        long childCpuAtFirst = 0;
        long benchCpuAtFirst = 0;
        while (true) {
            if (!child.isAlive()) {
                throw new IllegalStateException(app.label() + " exited with code " + child.exitValue() + " before finishing. Log "
                        + log + ":\n" + tail(log));
            }
            long committed = committedOffsets(admin, group);
            long now = System.nanoTime();
            if (firstSeenAt < 0 && committed > 0) {
                firstSeenAt = now;
                committedAtFirst = committed;
                childCpuAtFirst = RouterThroughputBench.cpuTicks(child.pid());
                benchCpuAtFirst = RouterThroughputBench.cpuTicks(ProcessHandle.current().pid());
            }
            if (committed >= target) {
                if (committedAtFirst >= target) {
                    throw new IllegalStateException(app.label() + " finished before its first progress was seen; use more --records");
                }
                long childCpu = RouterThroughputBench.cpuTicks(child.pid()) - childCpuAtFirst;
                long benchCpu = RouterThroughputBench.cpuTicks(ProcessHandle.current().pid()) - benchCpuAtFirst;
                long peakRssKb = RouterThroughputBench.peakRssKb(child.pid());
                double seconds = (now - firstSeenAt) / 1e9;
                return new Run(round, app, target - committedAtFirst, seconds,
                        childCpu / (double) CLOCK_TICKS_PER_SECOND / seconds, benchCpu / (double) CLOCK_TICKS_PER_SECOND / seconds, peakRssKb);
            }
            if (now > deadline) {
                throw new IllegalStateException(app.label() + " committed " + committed + " of " + target + " offsets in "
                        + appTimeoutSeconds + " s. Log " + log + ":\n" + tail(log));
            }
            child.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static long committedOffsets(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(TASKS_TOPIC) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private void stop(Process child) throws InterruptedException {
        child.destroy(); // SIGTERM: the child's shutdown hook stops its loop, which closes its clients
        if (!child.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            System.out.println("child " + child.pid() + " did not stop in " + STOP_TIMEOUT.toSeconds() + " s; killing it");
            child.destroyForcibly();
            child.waitFor();
        }
    }

    private void stopRunningChild() {
        Process child = runningChild.getAndSet(null);
        if (child != null && child.isAlive()) {
            child.destroy();
            try {
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
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
        Map<String, Long> actual = countCommitted(bootstrap, expected.keySet());
        return actual.equals(expected) ? List.of()
                : List.of("after " + app.label() + " run " + appRounds + ": read_committed counts " + actual + ", expected " + expected);
    }

    private static Map<String, Long> countCommitted(String bootstrap, java.util.Collection<String> topics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        Map<String, Long> counts = new LinkedHashMap<>();
        topics.forEach(t -> counts.put(t, 0L));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream()
                    .map(p -> new TopicPartition(t, p.partition()))).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all); // the last stable offsets under read_committed
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("counting " + topics + " took more than 120 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(record.topic(), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-5s  %-7s  %9s  %7s  %10s  %10s  %10s  %11s  %12s",
                "round", "app", "records", "seconds", "spans/s", "app cores", "bench cores", "app µs/rec", "peak RSS MB");
    }

    private static String row(Run run) {
        return String.format(Locale.ROOT, "%-5d  %-7s  %,9d  %7.2f  %,10.0f  %10.2f  %10.2f  %11.1f  %12.0f",
                run.round(), run.app().label(), run.records(), run.seconds(), run.recordsPerSecond(), run.childCores(),
                run.benchCores(), run.childCpuMicrosPerRecord(), run.peakRssMb());
    }

    private static void summarize(List<Run> runs) {
        System.out.printf(Locale.ROOT, "%-7s  %12s  %14s  %18s  %17s%n", "app", "best spans/s", "median spans/s", "least app µs/rec",
                "max peak RSS MB");
        double[] best = new double[2];
        double[] median = new double[2];
        double[] cpu = new double[2];
        for (App app : App.values()) {
            double[] rates = runs.stream().filter(r -> r.app() == app).mapToDouble(Run::recordsPerSecond).sorted().toArray();
            int n = rates.length;
            best[app.ordinal()] = rates[n - 1];
            median[app.ordinal()] = n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
            cpu[app.ordinal()] = runs.stream().filter(r -> r.app() == app).mapToDouble(Run::childCpuMicrosPerRecord).min().orElse(0);
            double rss = runs.stream().filter(r -> r.app() == app).mapToDouble(Run::peakRssMb).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-7s  %,12.0f  %,14.0f  %18.1f  %17.0f%n", app.label(), best[app.ordinal()],
                    median[app.ordinal()], cpu[app.ordinal()], rss);
        }
        System.out.printf(Locale.ROOT, "worker/plain spans/s: median %.3f, best %.3f%n", median[1] / median[0], best[1] / best[0]);
        System.out.printf(Locale.ROOT, "plain/worker app CPU per record (least of each): %.3f%n", cpu[0] / cpu[1]);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e);
        }
    }
}
