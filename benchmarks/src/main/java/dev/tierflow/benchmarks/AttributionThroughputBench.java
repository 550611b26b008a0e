package dev.tierflow.benchmarks;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.Topics;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput of the attribution job (Flink) against a Flink passthrough of the same source, at
 * parallelism 1 and 2, and the job's checkpoint duration and state size after all input, in one run: a
 * real KRaft broker (in this JVM), the real Apicurio Registry (a child process), N routed tasks and their N
 * result spans produced once ({@link AttributionInput}), then every app as a job on a Flink MiniCluster
 * (unbounded and aligned as the job runs, stopped by a draining savepoint once all input is read; or
 * bounded, {@code --read bounded}) in its own child JVM with identical JVM flags ({@link FlinkWorkload}), each reading all input
 * from the beginning under its own consumer group.
 *
 * <p>Timing is taken inside the child, around the job only: from the first record after the source to the
 * last record seen after the source or before a sink (identity maps chained into the job, in both apps).
 * JVM start, MiniCluster start, job submission and registry look-ups are not measured; the job's final
 * checkpoint and commit (up to one checkpoint interval) are reported separately ("to FINISHED").
 * Outputs are verified with read_committed consumers after every run.
 */
@Command(name = "attribution-throughput-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Spans/s of the TierFlow attribution job vs a Flink passthrough of the same source (parallelism 1 and 2),"
                + " checkpoint duration and state size after all input.")
public final class AttributionThroughputBench implements Callable<Integer> {

    private static final String PRICES_RESOURCE = "prices.yaml";

    @Option(names = "--spans", defaultValue = "1000000", description = "result spans to produce, and as many routed tasks (default ${DEFAULT-VALUE})")
    long spans;

    @Option(names = "--partitions", defaultValue = "4", description = "partitions of every input and output topic (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--parallelism", defaultValue = "1,2", split = ",", description = "job parallelisms to measure (default ${DEFAULT-VALUE})")
    int[] parallelisms;

    @Option(names = "--rounds", defaultValue = "1", description = "rounds of passthrough + attribution per parallelism (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--jvm-flags", defaultValue = "-Xms2g -Xmx2g -XX:+UseParallelGC",
            description = "JVM flags of every child app, identical for all (default: ${DEFAULT-VALUE})")
    String jvmFlags;

    @Option(names = "--read", defaultValue = "unbounded",
            description = "unbounded (as the job runs, with its watermark alignment; stopped by a draining savepoint once all input is in)"
                    + " | bounded (read to the end offsets, no alignment) (default ${DEFAULT-VALUE})")
    String read;

    @Option(names = "--passthrough-sink", defaultValue = "kafka",
            description = "kafka: one 8-byte record per input record through an exactly-once KafkaSink; discard: a DiscardingSink (default ${DEFAULT-VALUE})")
    String passthroughSink;

    @Option(names = "--no-checkpoint-probe", description = "skip the unbounded attribution run that checkpoints after all input")
    boolean noProbe;

    @Option(names = "--jfr", description = "record a JFR profile (settings=profile) of every child app into the work directory")
    boolean jfr;

    @Option(names = "--seed", defaultValue = "20261123", description = "input seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--app-timeout", defaultValue = "900", description = "seconds an app may take (default ${DEFAULT-VALUE})")
    int appTimeoutSeconds;

    @Option(names = "--work-dir", description = "where broker data, checkpoints and child logs go (default: a new temporary directory)")
    Path workDir;

    @Option(names = "--keep-work-dir", description = "keep the work directory after a successful run (it is always kept after a failure)")
    boolean keepWorkDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AttributionThroughputBench()).execute(args));
    }

    /** One child run's figures, as {@link FlinkWorkload} wrote them. */
    record Run(int round, String app, int parallelism, Properties figures) {
        double get(String key) {
            String value = figures.getProperty(key);
            return value == null ? Double.NaN : Double.parseDouble(value);
        }

        double processSeconds() {
            return get("processSeconds");
        }
    }

    @Override
    public Integer call() throws Exception {
        if (spans <= 0 || partitions <= 0 || rounds <= 0 || parallelisms.length == 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--spans, --partitions, --rounds and --parallelism must be positive");
        }
        Path work = WorkDirectory.create(workDir, "tierflow-attribution-bench-");
        ChildApp.stopRunningChildOnExit();
        System.out.printf(Locale.ROOT, "TierFlow attribution throughput bench: %,d spans + %,d routed tasks, %d partitions per topic,"
                        + " parallelism %s, %d round(s); JVM %s, %d cores%n", spans, spans, partitions, Arrays.toString(parallelisms),
                rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("child JVM flags (every app): " + jvmFlags + "; passthrough sink: " + passthroughSink + "; input read " + read);
        System.out.println("work directory: " + work);
        System.out.println("load average at start: " + ProcStats.loadAverage());
        return BenchInfrastructure.runIn(work, !keepWorkDir && workDir == null, this::bench);
    }

    private boolean bench(Path work, String bootstrap, String registryUrl) throws Exception {
        Path policyFile = BenchPolicy.writeTo(work.resolve("policy.yaml"));
        Path pricesFile = work.resolve("prices.yaml");
        FlinkWorkload.writeResource(PRICES_RESOURCE, pricesFile);
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        List<String> inputTopics = new ArrayList<>();
        for (Tier tier : policy.tiers()) {
            inputTopics.add(Topics.routedTasks(tier.name()).name());
            inputTopics.add(Topics.results(tier.name()).name());
        }
        List<String> attributionOutputs = List.of(Topics.STATS.name(), Topics.STUCK.name(), Topics.UNMATCHED.name(),
                Topics.LATE.name(), Topics.ATTRIBUTION_DLQ.name());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : concat(inputTopics, attributionOutputs, List.of(FlinkWorkload.PASSTHROUGH_TOPIC))) {
                // kept for ever: the input's event times are fixed (AttributionInput.BASE), not "now"
                topics.add(new NewTopic(name, partitions, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
            }
            admin.createTopics(topics).all().get();
        }
        AttributionInput.Produced produced = AttributionInput.produce(bootstrap, registryUrl, policy, spans, seed);
        System.out.println(AttributionInput.describe(produced));
        long inputRecords = produced.routedTasks() + produced.spans();
        long windowsPerSpan = 10; // 5 min / 30 s, the job's default windows

        List<Run> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        System.out.println();
        System.out.println(rowHeader());
        for (int round = 1; round <= rounds && failures.isEmpty(); round++) {
            for (int parallelism : parallelisms) {
                List<FlinkWorkload.Mode> order = round % 2 == 1
                        ? List.of(FlinkWorkload.Mode.passthrough, FlinkWorkload.Mode.attribution)
                        : List.of(FlinkWorkload.Mode.attribution, FlinkWorkload.Mode.passthrough);
                for (FlinkWorkload.Mode mode : order) {
                    List<String> checkedTopics = mode == FlinkWorkload.Mode.passthrough ? List.of(FlinkWorkload.PASSTHROUGH_TOPIC) : attributionOutputs;
                    Map<TopicPartition, Long> before = endOffsets(bootstrap, checkedTopics);
                    Run run = runChild(work, mode, round, parallelism, bootstrap, registryUrl, policyFile, pricesFile, inputRecords);
                    runs.add(run);
                    System.out.println(row(run, inputRecords));
                    failures.addAll(mode == FlinkWorkload.Mode.passthrough
                            ? verifyPassthrough(bootstrap, before, inputRecords)
                            : verifyAttribution(bootstrap, registryUrl, before, produced.spans() * windowsPerSpan, run));
                }
            }
        }
        List<Run> probes = new ArrayList<>();
        if (!noProbe && failures.isEmpty()) {
            for (int parallelism : parallelisms) {
                Run probe = runChild(work, FlinkWorkload.Mode.checkpoint_probe, 1, parallelism, bootstrap, registryUrl, policyFile,
                        pricesFile, inputRecords);
                probes.add(probe);
                System.out.println(row(probe, inputRecords));
            }
        }
        System.out.println();
        summarize(runs, probes, produced.spans());
        System.out.println("load average at end: " + ProcStats.loadAverage() + " (other processes on the machine compete for the same cores)");
        if (failures.isEmpty()) {
            System.out.println("output verified: passthrough " + inputRecords + " records per run"
                    + (passthroughSink.equals("kafka") ? "" : " (discarded: input count only)")
                    + "; attribution: sum of count over role=* scopes = " + windowsPerSpan + " x " + produced.spans()
                    + " spans (5 min / 30 s windows), nothing stuck, unmatched, late or dead-lettered, per run (read_committed)");
            return true;
        }
        failures.forEach(f -> System.out.println("VERIFICATION FAILED: " + f));
        return false;
    }

    private Run runChild(Path work, FlinkWorkload.Mode mode, int round, int parallelism, String bootstrap, String registryUrl,
                         Path policyFile, Path pricesFile, long inputRecords) throws Exception {
        String runId = "bench-" + mode.name().replace('_', '-') + "-p" + parallelism + "-r" + round;
        Path log = work.resolve("logs").resolve(runId + ".log");
        Path resultFile = work.resolve("results").resolve(runId + ".properties");
        Files.createDirectories(resultFile.getParent());
        Path checkpoints = work.resolve("checkpoints").resolve(runId).toAbsolutePath();
        List<String> jfrFlags = jfr ? List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                + work.resolve(runId + ".jfr").toAbsolutePath()) : List.of();
        ChildApp child = ChildApp.start(runId, jvmFlags, jfrFlags, FlinkWorkload.class, List.of(mode.name(),
                "--bootstrap", bootstrap, "--registry", registryUrl,
                "--policy", policyFile.toAbsolutePath().toString(), "--prices", pricesFile.toAbsolutePath().toString(),
                "--run-id", runId, "--parallelism", Integer.toString(parallelism), "--partitions", Integer.toString(partitions),
                "--expected-input", Long.toString(inputRecords), "--checkpoint-dir", checkpoints.toString(),
                "--result-file", resultFile.toAbsolutePath().toString(), "--passthrough-sink", passthroughSink, "--read", read,
                "--timeout", Integer.toString(appTimeoutSeconds)), log);
        try {
            child.waitFor(Duration.ofSeconds(appTimeoutSeconds + 120L));
            if (child.isAlive()) {
                throw new IllegalStateException(runId + " did not exit in " + (appTimeoutSeconds + 120) + " s. " + child.logTail());
            }
            if (child.exitValue() != 0 || !Files.exists(resultFile)) {
                throw new IllegalStateException(runId + " exited with code " + child.exitValue() + ". " + child.logTail());
            }
        } finally {
            child.stop();
        }
        Properties figures = new Properties();
        try (Reader in = Files.newBufferedReader(resultFile)) {
            figures.load(in);
        }
        return new Run(round, mode.name(), parallelism, figures);
    }

    private List<String> verifyPassthrough(String bootstrap, Map<TopicPartition, Long> before, long inputRecords) {
        if (!passthroughSink.equals("kafka")) {
            return List.of();
        }
        long written = readFrom(bootstrap, before, record -> { }).getOrDefault(FlinkWorkload.PASSTHROUGH_TOPIC, 0L);
        return written == inputRecords ? List.of()
                : List.of("passthrough wrote " + written + " committed records, expected " + inputRecords);
    }

    private List<String> verifyAttribution(String bootstrap, String registryUrl, Map<TopicPartition, Long> before, long expectedRoleCount,
                                           Run run) {
        var deserializer = AvroSerdes.forRegistry(registryUrl).deserializer(CostQualityStats.class);
        long[] roleCount = new long[1];
        Map<String, Long> written = readFrom(bootstrap, before, record -> {
            if (record.topic().equals(Topics.STATS.name())) {
                CostQualityStats stats = deserializer.deserialize(record.topic(), record.value());
                if (stats.getScope().startsWith("role=") && !stats.getScope().contains("/")) {
                    roleCount[0] += stats.getCount();
                }
            }
        });
        List<String> problems = new ArrayList<>();
        Map<String, Long> unexpected = new LinkedHashMap<>(written);
        unexpected.remove(Topics.STATS.name());
        unexpected.values().removeIf(count -> count == 0);
        if (!unexpected.isEmpty()) {
            problems.add(run.app() + " p" + run.parallelism() + ": records in " + unexpected + " (expected none)");
        }
        if (written.getOrDefault(Topics.STATS.name(), 0L) == 0 || roleCount[0] != expectedRoleCount) {
            problems.add(run.app() + " p" + run.parallelism() + ": " + written.getOrDefault(Topics.STATS.name(), 0L)
                    + " stats records, sum of count over role=* scopes " + roleCount[0] + ", expected " + expectedRoleCount);
        }
        run.figures().setProperty("statsRecords", Long.toString(written.getOrDefault(Topics.STATS.name(), 0L)));
        return problems;
    }

    /** read_committed end offsets (last stable offsets) of {@code topics}. */
    private static Map<TopicPartition, Long> endOffsets(String bootstrap, List<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> all = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream()
                    .map(p -> new TopicPartition(t, p.partition()))).toList();
            consumer.assign(all); // the last stable offsets of partitions not assigned are not kept
            return new LinkedHashMap<>(consumer.endOffsets(all));
        }
    }

    /** Committed records per topic from {@code from} to the current last stable offsets, each passed to {@code each}. */
    private static Map<String, Long> readFrom(String bootstrap, Map<TopicPartition, Long> from,
                                              java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Long> counts = new LinkedHashMap<>();
        from.keySet().forEach(tp -> counts.put(tp.topic(), 0L));
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> all = new ArrayList<>(from.keySet());
            consumer.assign(all);
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + counts.keySet() + " took more than 180 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(record.topic(), 1L, Long::sum);
                    each.accept(record);
                }
            }
        }
        return counts;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String rowHeader() {
        return String.format(Locale.ROOT, "%-5s  %-16s  %2s  %10s  %8s  %10s  %12s  %9s  %11s  %9s  %7s  %11s  %-28s",
                "round", "app", "p", "records", "seconds", "spans/s", "to FINISHED", "app cores", "app µs/span", "peak RSS", "ckpts", "max ckpt ms",
                "checkpoint (duration, state)");
    }

    private String row(Run run, long inputRecords) {
        double seconds = run.processSeconds();
        String checkpoint;
        if (run.figures().getProperty("probe.durationMs") != null) {
            checkpoint = String.format(Locale.ROOT, "after all input: %.0f ms, %s", run.get("probe.durationMs"),
                    bytes(run.get("probe.stateSize")));
        } else if (run.figures().getProperty("checkpoints.lastBeforeEnd.durationMs") != null) {
            checkpoint = String.format(Locale.ROOT, "at %,.0f in: %.0f ms, %s", run.get("checkpoints.lastBeforeEnd.inputAtTrigger"),
                    run.get("checkpoints.lastBeforeEnd.durationMs"), bytes(run.get("checkpoints.lastBeforeEnd.stateSize")));
        } else {
            checkpoint = "none before the end of input";
        }
        return String.format(Locale.ROOT, "%-5d  %-16s  %2d  %,10.0f  %8.2f  %,10.0f  %10.2f s  %9.2f  %11.1f  %6.0f MB  %7.0f  %11.0f  %s",
                run.round(), run.app(), run.parallelism(), run.get("inputRecords"), seconds, (inputRecords / 2.0) / seconds,
                run.get("finishedSeconds"), run.get("cpuSeconds") / run.get("finishedSeconds"),
                run.get("cpuSeconds") * 1e6 / (inputRecords / 2.0), run.get("peakRssKb") / 1024,
                run.get("checkpoints.completed"), run.get("checkpoints.maxDurationMs"), checkpoint);
    }

    private void summarize(List<Run> runs, List<Run> probes, long spanCount) {
        System.out.println("Summary (median over rounds; spans/s = " + spanCount + " spans / seconds from the first input record to the"
                + " last record seen after the source or before a sink; the input also holds as many routed tasks):");
        System.out.printf(Locale.ROOT, "%-3s  %20s  %20s  %14s  %22s  %17s  %-34s  %s%n", "p", "passthrough spans/s", "attribution spans/s",
                "ratio (>=0.5)", "to FINISHED: pass/attr", "peak RSS pass/attr", "checkpoint after all input (attr)",
                "ratio per round (median)");
        for (int parallelism : parallelisms) {
            double pass = median(runs, "passthrough", parallelism, r -> spanCount / r.processSeconds());
            double attr = median(runs, "attribution", parallelism, r -> spanCount / r.processSeconds());
            double passFinished = median(runs, "passthrough", parallelism, r -> r.get("finishedSeconds"));
            double attrFinished = median(runs, "attribution", parallelism, r -> r.get("finishedSeconds"));
            double passRss = max(runs, "passthrough", parallelism, r -> r.get("peakRssKb") / 1024);
            double attrRss = max(runs, "attribution", parallelism, r -> r.get("peakRssKb") / 1024);
            String checkpoint = probes.stream().filter(p -> p.parallelism() == parallelism).findFirst()
                    .map(p -> String.format(Locale.ROOT, "%.0f ms, state %s", p.get("probe.durationMs"), bytes(p.get("probe.stateSize"))))
                    .orElse("(not measured)");
            double ratio = attr / pass;
            System.out.printf(Locale.ROOT, "%-3d  %,20.0f  %,20.0f  %8.3f %-5s  %10.1f / %5.1f s  %8.0f / %4.0f MB  %-34s  %s%n", parallelism, pass,
                    attr, ratio, ratio >= 0.5 ? "met" : "NOT", passFinished, attrFinished, passRss, attrRss, checkpoint,
                    roundRatios(runs, parallelism));
        }
    }

    /**
     * Each round's attribution spans/s over the passthrough's of the same round, and their median: the two
     * apps of a round run back to back, so a drift of the machine over the run cancels out of the ratio.
     */
    private static String roundRatios(List<Run> runs, int parallelism) {
        List<String> perRound = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (Run attribution : runs) {
            if (!attribution.app().equals("attribution") || attribution.parallelism() != parallelism) {
                continue;
            }
            runs.stream().filter(r -> r.app().equals("passthrough") && r.parallelism() == parallelism && r.round() == attribution.round())
                    .findFirst().ifPresent(passthrough -> {
                        // spans/s over spans/s of the same span count
                        double ratio = passthrough.processSeconds() / attribution.processSeconds();
                        ratios.add(ratio);
                        perRound.add(String.format(Locale.ROOT, "%.2f", ratio));
                    });
        }
        double median = ResultTable.median(ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        return String.join(" ", perRound) + String.format(Locale.ROOT, " (%.3f)", median);
    }

    private static double median(List<Run> runs, String app, int parallelism, ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().filter(r -> r.app().equals(app) && r.parallelism() == parallelism).mapToDouble(figure).sorted().toArray();
        return ResultTable.median(values);
    }

    private static double max(List<Run> runs, String app, int parallelism, ToDoubleFunction<Run> figure) {
        return runs.stream().filter(r -> r.app().equals(app) && r.parallelism() == parallelism).mapToDouble(figure).max().orElse(Double.NaN);
    }

    private static String bytes(double bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / (1 << 20)) : String.format(Locale.ROOT, "%.0f KB", bytes / 1024);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
