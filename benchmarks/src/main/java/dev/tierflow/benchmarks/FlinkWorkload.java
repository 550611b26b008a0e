package dev.tierflow.benchmarks;

import dev.tierflow.attribution.AttributionJob;
import dev.tierflow.attribution.app.AttributionPipeline;
import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One app of {@link AttributionThroughputBench}, run in a child JVM: a local Flink MiniCluster (one
 * TaskManager, {@code parallelism} slots) running one job over the bench's input topics, with the
 * attribution job's own settings (defaults plus broker, registry, group id, transactional id prefix,
 * parallelism). Its figures go to a properties file the bench reads after this JVM exits.
 *
 * <ul>
 *   <li>{@code passthrough}: {@link AttributionPipeline#readInput} (the same source, deserializer and
 *       watermarks) → each record's event time as 8 bytes → an exactly-once KafkaSink (or a discarding
 *       sink), checkpointing at the job's interval.</li>
 *   <li>{@code attribution}: {@link AttributionPipeline#attach}'s job, built from the same public parts
 *       (checkpointing, {@code readInput}, {@code AttributionJob.defineWorkflow}, {@code writeOutputs}).</li>
 *   <li>{@code checkpoint-probe}: the attribution job unbounded; once every input record has passed the
 *       source, one checkpoint is triggered and its duration and size recorded, then the job is cancelled.</li>
 * </ul>
 * Both read as {@code --read} says: unbounded (the default, as the job runs), stopped by a draining
 * savepoint once all input has passed the source; or bounded. Only the attribution job reads aligned (its
 * default watermark alignment, unbounded only): a passthrough has nothing to align for, and alignment would
 * only hold it back.
 * Both apps get an identity map right after the source and one right before each sink ({@link FlowMarks}).
 */
@Command(name = "flink-workload", mixinStandardHelpOptions = true)
public final class FlinkWorkload implements Callable<Integer> {

    static final String PASSTHROUGH_TOPIC = "bench.attribution.passthrough";
    private static final Duration POLL = Duration.ofMillis(20);

    enum Mode { passthrough, attribution, checkpoint_probe }

    @Parameters(index = "0", description = "passthrough | attribution | checkpoint_probe")
    Mode mode;

    @Option(names = "--bootstrap", required = true)
    String bootstrap;

    @Option(names = "--registry", required = true)
    String registryUrl;

    @Option(names = "--policy", required = true)
    Path policyFile;

    @Option(names = "--prices", required = true)
    Path pricesFile;

    @Option(names = "--run-id", required = true, description = "group id and transactional id prefix")
    String runId;

    @Option(names = "--parallelism", required = true)
    int parallelism;

    @Option(names = "--partitions", required = true)
    int partitions;

    @Option(names = "--expected-input", required = true, description = "input records (routed tasks + spans) in the topics")
    long expectedInput;

    @Option(names = "--checkpoint-dir", required = true)
    Path checkpointDir;

    @Option(names = "--result-file", required = true)
    Path resultFile;

    @Option(names = "--passthrough-sink", defaultValue = "kafka", description = "kafka (exactly-once) | discard")
    String passthroughSink;

    @Option(names = "--timeout", defaultValue = "900", description = "seconds")
    int timeoutSeconds;

    @Option(names = "--read", defaultValue = "unbounded",
            description = "unbounded (the job as it runs: aligned, stopped with a draining savepoint once all input is in) | bounded")
    Read read;

    /** How passthrough and attribution read their input; the checkpoint probe always reads unbounded. */
    enum Read { unbounded, bounded }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlinkWorkload()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        AttributionSettings settings = settings();
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        PriceCatalog prices = PriceCatalog.load(pricesFile);
        Configuration conf = Configuration.fromMap(Map.of(
                "rest.bind-port", "0", // never the default 8081: other Flink clusters may run on this machine
                "rest.address", "localhost",
                "execution.checkpointing.dir", checkpointDir.toUri().toString()));
        MiniClusterConfiguration clusterConfig = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(parallelism).build();
        Properties result = new Properties();
        try (MiniCluster cluster = new MiniCluster(clusterConfig)) {
            cluster.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(parallelism);
            if (mode == Mode.passthrough) {
                passthrough(env, settings, policy, prices);
            } else {
                attribution(env, settings, policy, prices);
            }
            var graph = env.getStreamGraph();
            graph.setJobName("bench-" + mode + "-" + runId);
            JobID job = cluster.submitJob(graph.getJobGraph(Thread.currentThread().getContextClassLoader(), null)).get().getJobID();
            System.out.println("submitted " + job + " (" + mode + ", parallelism " + parallelism + ")");
            CompletableFuture<JobResult> jobResult = cluster.requestJobResult(job);
            boolean ok = mode == Mode.checkpoint_probe ? probe(cluster, job, jobResult, result)
                    : read == Read.bounded ? bounded(cluster, job, jobResult, result) : drained(cluster, job, jobResult, result);
            result.setProperty("ok", Boolean.toString(ok));
        }
        result.setProperty("peakRssKb", Long.toString(ProcStats.peakRssKb(ProcessHandle.current().pid())));
        try (Writer out = Files.newBufferedWriter(resultFile)) {
            result.store(out, "FlinkWorkload " + mode + " " + runId);
        }
        System.out.println("result: " + result);
        return Boolean.parseBoolean(result.getProperty("ok")) ? 0 : 1;
    }

    private AttributionSettings settings() {
        Properties all = AttributionSettings.defaults();
        all.setProperty("bootstrap.servers", bootstrap);
        all.setProperty("apicurio.registry.url", registryUrl);
        all.setProperty(AttributionSettings.POLICY_FILE, policyFile.toString());
        all.setProperty(AttributionSettings.PRICES_FILE, pricesFile.toString());
        all.setProperty(AttributionSettings.GROUP_ID, runId);
        all.setProperty(AttributionSettings.TRANSACTIONAL_ID_PREFIX, runId);
        all.setProperty(AttributionSettings.PARALLELISM, Integer.toString(parallelism));
        all.setProperty(AttributionSettings.TOPIC_PARTITIONS, Integer.toString(partitions));
        all.setProperty(AttributionSettings.BOUNDED, Boolean.toString(mode != Mode.checkpoint_probe && read == Read.bounded));
        // the generated input has fixed event times (AttributionInput.BASE), soon further back than the default bound
        all.setProperty(AttributionSettings.EVENT_TIME_MAX_PAST, "0 s");
        if (mode == Mode.passthrough) {
            // alignment is flow control for the join; without one, it would only slow the passthrough down
            all.setProperty(AttributionSettings.ALIGNMENT_MAX_DRIFT, "0 s");
        }
        return AttributionSettings.from(all);
    }

    private void passthrough(StreamExecutionEnvironment env, AttributionSettings settings, RoutingPolicy policy, PriceCatalog prices) {
        // the same environment settings as the job's (checkpointing, object reuse)
        AttributionPipeline.configure(env, settings);
        DataStream<byte[]> out = markedInput(AttributionPipeline.readInput(env, settings, policy, prices))
                .map(input -> ByteBuffer.allocate(Long.BYTES).putLong(input.eventTimeMillis(0)).array(),
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO).name("event-time-bytes")
                .map(FlowMarks.marker(false), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO).name("output-marker");
        if ("discard".equals(passthroughSink)) {
            out.sinkTo(new DiscardingSink<>()).name("discard");
            return;
        }
        Properties producer = settings.clientProperties();
        producer.setProperty("transaction.timeout.ms", Long.toString(settings.transactionTimeout().toMillis()));
        out.sinkTo(KafkaSink.<byte[]>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(new ValueOnly(PASSTHROUGH_TOPIC))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(settings.transactionalIdPrefix() + "." + PASSTHROUGH_TOPIC)
                .build()).name("passthrough-sink").uid("passthrough-sink");
    }

    /** What {@link AttributionPipeline#attach} does, with the input and output markers in between. */
    private static void attribution(StreamExecutionEnvironment env, AttributionSettings settings, RoutingPolicy policy, PriceCatalog prices) {
        AttributionPipeline.configure(env, settings);
        DataStream<JoinInput> input = markedInput(AttributionPipeline.readInput(env, settings, policy, prices));
        AttributionJob.Outputs outputs = AttributionJob.defineWorkflow(input, AttributionPipeline.parameters(settings, policy, prices));
        AttributionPipeline.writeOutputs(new AttributionJob.Outputs(markedOutput(outputs.stats()), markedOutput(outputs.stuck()),
                markedOutput(outputs.unmatched()), markedOutput(outputs.late()), markedOutput(outputs.deadLetters())), settings);
    }

    private static DataStream<JoinInput> markedInput(DataStream<JoinInput> input) {
        return input.map(FlowMarks.marker(true), TypeInformation.of(JoinInput.class)).name("input-marker");
    }

    private static <T> DataStream<T> markedOutput(DataStream<T> output) {
        return output.map(FlowMarks.<T>marker(false), output.getType()).name("output-marker");
    }

    /** Waits for the bounded job to finish; records the timings and the checkpoints it took. */
    private boolean bounded(MiniCluster cluster, JobID job, CompletableFuture<JobResult> jobResult, Properties result) throws Exception {
        Samples samples = new Samples();
        return finished(cluster, job, jobResult, result, samples, System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds));
    }

    /**
     * Unbounded, as the job runs: once all input has passed the source, a savepoint that drains (the end
     * of event time: every window fires, the sinks commit), then as {@link #bounded}.
     */
    private boolean drained(MiniCluster cluster, JobID job, CompletableFuture<JobResult> jobResult, Properties result) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Samples samples = new Samples();
        if (!awaitAllInput(cluster, job, jobResult, samples, deadline)) {
            return false;
        }
        cluster.stopWithSavepoint(job, checkpointDir.resolve("savepoints").toUri().toString(), true, SavepointFormatType.CANONICAL);
        return finished(cluster, job, jobResult, result, samples, deadline);
    }

    private boolean finished(MiniCluster cluster, JobID job, CompletableFuture<JobResult> jobResult, Properties result, Samples samples,
                             long deadline) throws Exception {
        while (!jobResult.isDone()) {
            samples.poll();
            if (System.nanoTime() > deadline) {
                System.out.println("job did not finish in " + timeoutSeconds + " s; input " + FlowMarks.INPUT.count() + " of " + expectedInput);
                cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
                return false;
            }
            try {
                jobResult.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // poll again
            }
        }
        long finished = System.nanoTime();
        samples.poll();
        JobResult outcome = jobResult.get();
        if (!outcome.isSuccess()) {
            System.out.println("job failed: " + outcome.getSerializedThrowable().map(Throwable::toString).orElse(String.valueOf(outcome.getApplicationStatus())));
            outcome.getSerializedThrowable().ifPresent(Throwable::printStackTrace);
            return false;
        }
        samples.record(result, finished);
        var graph = cluster.getArchivedExecutionGraph(job).get(60, TimeUnit.SECONDS);
        recordCheckpoints(graph, samples, result);
        return checkInput(result);
    }

    /** Polls until every input record has passed the source; false (the job cancelled) if it ends or times out first. */
    private boolean awaitAllInput(MiniCluster cluster, JobID job, CompletableFuture<JobResult> jobResult, Samples samples, long deadline)
            throws Exception {
        while (FlowMarks.INPUT.count() < expectedInput) {
            samples.poll();
            if (jobResult.isDone()) {
                System.out.println("job ended before reading all input: " + jobResult.get().getApplicationStatus());
                return false;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("input " + FlowMarks.INPUT.count() + " of " + expectedInput + " after " + timeoutSeconds + " s");
                cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }

    /** Unbounded: once all input has passed the source, trigger a checkpoint, record it, cancel the job. */
    private boolean probe(MiniCluster cluster, JobID job, CompletableFuture<JobResult> jobResult, Properties result) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Samples samples = new Samples();
        if (!awaitAllInput(cluster, job, jobResult, samples, deadline)) {
            return false;
        }
        long allRead = System.nanoTime();
        samples.poll();
        samples.record(result, allRead);
        long triggered = System.nanoTime();
        long checkpointId = cluster.triggerCheckpoint(job, CheckpointType.CONFIGURED).get(timeoutSeconds, TimeUnit.SECONDS);
        double triggerToDoneMs = (System.nanoTime() - triggered) / 1e6;
        AbstractCheckpointStats checkpoint = null;
        long statsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < statsDeadline) {
            CheckpointStatsSnapshot stats = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getCheckpointStatsSnapshot();
            checkpoint = stats.getHistory().getCheckpointById(checkpointId);
            if (checkpoint != null && checkpoint.getStatus() == CheckpointStatsStatus.COMPLETED) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        if (checkpoint == null || checkpoint.getStatus() != CheckpointStatsStatus.COMPLETED) {
            System.out.println("no completed stats for checkpoint " + checkpointId);
            return false;
        }
        result.setProperty("probe.checkpointId", Long.toString(checkpointId));
        result.setProperty("probe.durationMs", Long.toString(checkpoint.getEndToEndDuration()));
        result.setProperty("probe.triggerToDoneMs", String.format(Locale.ROOT, "%.0f", triggerToDoneMs));
        result.setProperty("probe.stateSize", Long.toString(checkpoint.getStateSize()));
        result.setProperty("probe.checkpointedSize", Long.toString(checkpoint.getCheckpointedSize()));
        result.setProperty("probe.inputAtTrigger", Long.toString(FlowMarks.INPUT.count()));
        recordCheckpoints(cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS), samples, result);
        cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
        jobResult.get(60, TimeUnit.SECONDS);
        return checkInput(result);
    }

    private boolean checkInput(Properties result) {
        long input = FlowMarks.INPUT.count();
        if (input != expectedInput) {
            // more than expected means records were replayed after a restart: the timing would be wrong
            System.out.println("the job read " + input + " input records, expected " + expectedInput);
            return false;
        }
        return true;
    }

    /** The periodic checkpoints of the run: how many, the longest, and the last one triggered before the input ended. */
    private static void recordCheckpoints(AccessExecutionGraph graph, Samples samples, Properties result) {
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        result.setProperty("checkpoints.completed", Long.toString(stats.getCounts().getNumberOfCompletedCheckpoints()));
        result.setProperty("checkpoints.failed", Long.toString(stats.getCounts().getNumberOfFailedCheckpoints()));
        long maxDuration = 0;
        long maxState = 0;
        AbstractCheckpointStats lastBeforeEnd = null;
        AbstractCheckpointStats largest = null;
        long inputEndWallMs = samples.wallMillisOf(FlowMarks.INPUT.lastNanos());
        List<AbstractCheckpointStats> all = new ArrayList<>(stats.getHistory().getCheckpoints());
        for (AbstractCheckpointStats checkpoint : all) {
            if (checkpoint.getStatus() != CheckpointStatsStatus.COMPLETED) {
                continue;
            }
            maxDuration = Math.max(maxDuration, checkpoint.getEndToEndDuration());
            if (checkpoint.getStateSize() > maxState) {
                maxState = checkpoint.getStateSize();
                largest = checkpoint;
            }
            if (checkpoint.getTriggerTimestamp() <= inputEndWallMs
                    && (lastBeforeEnd == null || checkpoint.getTriggerTimestamp() > lastBeforeEnd.getTriggerTimestamp())) {
                lastBeforeEnd = checkpoint;
            }
        }
        result.setProperty("checkpoints.maxDurationMs", Long.toString(maxDuration));
        result.setProperty("checkpoints.maxStateSize", Long.toString(maxState));
        if (largest != null) {
            // which operator chains hold the largest checkpoint's state
            result.setProperty("checkpoints.largest.inputAtTrigger", Long.toString(samples.inputAt(largest.getTriggerTimestamp())));
            for (TaskStateStats task : largest.getAllTaskStateStats()) {
                AccessExecutionJobVertex vertex = graph.getJobVertex(task.getJobVertexId());
                String name = vertex == null ? task.getJobVertexId().toString() : vertex.getName();
                result.setProperty("checkpoints.largest.stateSize." + name.replaceAll("[^A-Za-z0-9-]+", "_"), Long.toString(task.getStateSize()));
            }
        }
        if (lastBeforeEnd != null) {
            result.setProperty("checkpoints.lastBeforeEnd.durationMs", Long.toString(lastBeforeEnd.getEndToEndDuration()));
            result.setProperty("checkpoints.lastBeforeEnd.stateSize", Long.toString(lastBeforeEnd.getStateSize()));
            result.setProperty("checkpoints.lastBeforeEnd.inputAtTrigger", Long.toString(samples.inputAt(lastBeforeEnd.getTriggerTimestamp())));
        }
    }

    /** Input counts over time (to place a checkpoint's trigger in the input), and this JVM's CPU from the first record on. */
    private static final class Samples {
        private final long wallAtStart = System.currentTimeMillis();
        private final long nanoAtStart = System.nanoTime();
        private final List<long[]> wallAndInput = new ArrayList<>();
        private long cpuAtFirst = -1;

        void poll() {
            long input = FlowMarks.INPUT.count();
            wallAndInput.add(new long[] {System.currentTimeMillis(), input});
            if (cpuAtFirst < 0 && FlowMarks.INPUT.firstNanos() != Long.MAX_VALUE) {
                cpuAtFirst = ProcStats.cpuTicks(ProcessHandle.current().pid());
            }
        }

        long wallMillisOf(long nanos) {
            return wallAtStart + (nanos - nanoAtStart) / 1_000_000;
        }

        /** Input records counted at the last sample at or before {@code wallMillis}. */
        long inputAt(long wallMillis) {
            long input = 0;
            for (long[] sample : wallAndInput) {
                if (sample[0] <= wallMillis) {
                    input = sample[1];
                }
            }
            return input;
        }

        void record(Properties result, long endNanos) {
            long first = FlowMarks.INPUT.firstNanos();
            long lastIn = FlowMarks.INPUT.lastNanos();
            long lastOut = FlowMarks.OUTPUT.lastNanos();
            result.setProperty("inputRecords", Long.toString(FlowMarks.INPUT.count()));
            result.setProperty("outputRecords", Long.toString(FlowMarks.OUTPUT.count()));
            result.setProperty("inputSeconds", seconds(lastIn - first));
            result.setProperty("processSeconds", seconds(Math.max(lastIn, lastOut) - first));
            result.setProperty("finishedSeconds", seconds(endNanos - first));
            long cpu = ProcStats.cpuTicks(ProcessHandle.current().pid()) - Math.max(0, cpuAtFirst);
            result.setProperty("cpuSeconds", Double.toString(cpu / (double) ProcStats.CLOCK_TICKS_PER_SECOND));
        }

        private static String seconds(long nanos) {
            return Double.toString(nanos / 1e9);
        }
    }

    /** One record per input: no key, the 8-byte value. */
    private static final class ValueOnly implements KafkaRecordSerializationSchema<byte[]> {
        private final String topic;

        ValueOnly(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(byte[] element, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, timestamp, null, element);
        }
    }

    static void writeResource(String resource, Path file) throws IOException {
        try (var in = FlinkWorkload.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath next to " + FlinkWorkload.class.getName());
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, in.readAllBytes());
        }
    }
}
