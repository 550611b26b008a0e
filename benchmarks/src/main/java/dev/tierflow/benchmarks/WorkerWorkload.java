package dev.tierflow.benchmarks;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.schemas.Topics;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.worker.runtime.AttemptRunner;
import dev.tierflow.worker.runtime.TierWorker;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One consumer under test, run by {@link WorkerThroughputBench} as a child JVM, until SIGTERM:
 * <ul>
 *   <li>{@code plain}: a transactional consume→produce loop of {@code tasks.small} → {@code bench.plain}, with
 *       the worker's consumer and producer settings, serdes and batch size, writing one fixed-shape
 *       {@link ResultSpan} per task (no model call, no pricing, no check, single-threaded);</li>
 *   <li>{@code worker}: the real {@link TierWorker} for tier small with the simulator backend (not waiting),
 *       the example price catalog and the output checker.</li>
 * </ul>
 */
@Command(name = "worker-workload", mixinStandardHelpOptions = true,
        description = "Runs the plain loop or the real worker until stopped (a child process of WorkerThroughputBench).")
public final class WorkerWorkload implements Callable<Integer> {

    public static final String PLAIN_TOPIC = "bench.plain";

    public enum Mode { plain, worker }

    @Parameters(index = "0", description = "plain | worker")
    Mode mode;

    @Option(names = "--bootstrap", required = true)
    String bootstrap;

    @Option(names = "--registry", required = true, description = "registry URL (…/apis/registry/v3)")
    String registryUrl;

    @Option(names = "--group", required = true, description = "consumer group id")
    String group;

    @Option(names = "--transactional-id", required = true)
    String transactionalId;

    @Option(names = "--concurrency", defaultValue = "16", description = "the worker's concurrent calls; sets max.poll.records = 4 x this for both")
    int concurrency;

    @Option(names = "--seed", defaultValue = "20261123", description = "simulator seed")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerWorkload()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        Properties client = new Properties();
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Runnable loop;
        AutoCloseable stopper;
        if (mode == Mode.worker) {
            AttemptRunner runner = new AttemptRunner(SimulatedModelBackend.withDefaults(seed), WorkerBenchTasks.prices(),
                    new OutputChecker(), Clock.systemUTC(), false);
            TierWorker worker = new TierWorker(WorkerBenchTasks.TIER, runner, serdes, client, group, transactionalId, concurrency);
            loop = worker;
            stopper = worker;
        } else {
            PlainLoop plain = new PlainLoop(serdes, client);
            loop = plain;
            stopper = plain;
        }
        Thread thread = new Thread(loop, "bench-" + mode);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopper.close();
                thread.join(30_000);
            } catch (Exception e) {
                System.err.println("stopping " + mode + " failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "stop-" + mode));
        thread.setUncaughtExceptionHandler((t, e) -> {
            e.printStackTrace();
            Runtime.getRuntime().halt(2); // the bench sees the child die instead of waiting for its timeout
        });
        thread.start();
        System.out.println(mode + " started as group " + group + " (pid " + ProcessHandle.current().pid() + ")");
        stopped.await();
        return 0;
    }

    /** The same transactional loop as TierWorker, minus the runtime: one fixed-shape span per task. */
    private final class PlainLoop implements Runnable, AutoCloseable {
        private final KafkaConsumer<String, RoutedTask> consumer;
        private final KafkaProducer<String, ResultSpan> producer;
        private final AtomicBoolean running = new AtomicBoolean(true);

        PlainLoop(AvroSerdes serdes, Properties client) {
            // The same settings TierWorker gives its consumer and producer.
            Properties consumerConfig = new Properties();
            consumerConfig.putAll(client);
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(concurrency * 4));
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), serdes.avro(RoutedTask.class, false).deserializer());
            Properties producerConfig = new Properties();
            producerConfig.putAll(client);
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.avro(ResultSpan.class, false).serializer());
        }

        @Override
        public void run() {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.routedTasks(WorkerBenchTasks.TIER).name()));
            try {
                while (running.get()) {
                    ConsumerRecords<String, RoutedTask> records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        continue;
                    }
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    producer.beginTransaction();
                    for (ConsumerRecord<String, RoutedTask> record : records) {
                        ResultSpan span = fixedSpan(record.value());
                        producer.send(new ProducerRecord<>(PLAIN_TOPIC, span.getTaskId(), span));
                        next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    }
                    producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                    producer.commitTransaction();
                }
            } catch (WakeupException stopping) {
                // close() woke us up
            } finally {
                consumer.close();
                producer.close(Duration.ofSeconds(10));
            }
        }

        @Override
        public void close() {
            running.set(false);
            consumer.wakeup();
        }
    }

    private static final Instant FIXED_TIME = Instant.parse("2026-11-23T09:00:00Z");

    /** A span of the usual size: the task's ids and fields, fixed numbers, no model call. */
    static ResultSpan fixedSpan(RoutedTask routed) {
        var task = routed.getTask();
        return ResultSpan.newBuilder()
                .setTaskId(task.getTaskId()).setRunId(task.getRunId()).setSpanId(task.getTaskId() + "#" + task.getAttempt())
                .setAttempt(task.getAttempt()).setRole(task.getRole()).setTaskType(task.getTaskType()).setTenant(task.getTenant())
                .setTier(routed.getTier()).setModel(routed.getModel()).setProvider(routed.getProvider()).setFallbackFrom(null)
                .setMaxOutputTokens(routed.getMaxOutputTokens())
                .setInputTokens(task.getInputTokens()).setOutputTokens(180).setCachedInputTokens(0).setCostMicros(1_234)
                .setLatencyMs(850).setStatus(SpanStatus.OK).setQuality(0.82)
                .setCheckPassed(task.getOutputContract() != null ? Boolean.TRUE : null).setCheckDetail(null).setEscalated(false)
                .setStartedAt(FIXED_TIME).setEndedAt(FIXED_TIME.plusMillis(850))
                .build();
    }
}
