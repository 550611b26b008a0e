package dev.tierflow.worker.runtime;

import static org.awaitility.Awaitility.await;

import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.InMemoryRegistry;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.check.OutputChecker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link TierWorker} on Kafka's MockConsumer and MockProducer with an in-memory registry, driven one loop
 * turn at a time by the test (no broker, no thread of its own for the loop).
 */
final class LoopHarness implements AutoCloseable {

    static final String TIER = "small";
    static final String TOPIC = Topics.routedTasks(TIER).name();
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));

    final AvroSerdes serdes = AvroSerdes.withClient(new InMemoryRegistry());
    final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    final MutableClock clock = new MutableClock(TestInstants.BEGINNING);
    final WorkerMetrics metrics = WorkerMetrics.inMemory(TIER);
    private final Serializer<RoutedTask> routedSerializer = serdes.avro(RoutedTask.class, false).serializer();
    private final Deserializer<ResultSpan> spanDeserializer = serdes.avro(ResultSpan.class, false).deserializer();
    final TierWorker worker;

    LoopHarness(ModelBackend backend, LoopSettings loop, DecisionCheck decisions, CommittedSpans committed) {
        this(backend, loop, decisions, committed, null);
    }

    /** @param decoder wraps the real RoutedTask decoder (e.g. in one that finds the registry down); null for the real one */
    LoopHarness(ModelBackend backend, LoopSettings loop, DecisionCheck decisions, CommittedSpans committed,
                UnaryOperator<Deserializer<RoutedTask>> decoder) {
        WorkerCodec codec = WorkerCodec.of(serdes);
        if (decoder != null) {
            codec = new WorkerCodec(decoder.apply(codec.routedTasks()), codec.spans(), codec.tasks());
        }
        worker = new TierWorker(TIER, new AttemptRunner(backend, PRICES, new OutputChecker(), clock, false), consumer, producer, codec,
                new WorkerOptions(loop, decisions, metrics, committed), clock);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        worker.begin();
        consumer.rebalance(List.of(P0, P1));
    }

    static RoutedTask routed(String taskId) {
        AgentTask task = dev.tierflow.testing.TaskBuilder.task(taskId).run("run-1").build();
        return new RoutedTask(task, TIER, "claude-haiku-4-5", "anthropic", 500, "v1", null, RoutingRule.STATIC_RULE, "role=worker",
                TestInstants.BEGINNING);
    }

    void add(TopicPartition partition, long offset, RoutedTask routed) {
        addRaw(partition, offset, routed.getTask().getTaskId(), routedSerializer.serialize(TOPIC, routed));
    }

    void addRaw(TopicPartition partition, long offset, String key, byte[] value) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** Turns the loop until the condition holds (calls run on the worker's pool, so this can take a moment). */
    void stepUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            worker.step();
            return condition.getAsBoolean();
        });
    }

    /** The spans of committed transactions, in the order they were sent. */
    List<ResultSpan> committedSpans() {
        String results = Topics.results(TIER).name();
        return producer.history().stream().filter(r -> r.topic().equals(results))
                .map(r -> spanDeserializer.deserialize(results, r.value())).toList();
    }

    List<ProducerRecord<byte[], byte[]>> committedDeadLetters() {
        String dlq = Topics.workerDeadLetters(TIER).name();
        return producer.history().stream().filter(r -> r.topic().equals(dlq)).toList();
    }

    /** The offsets committed with the transactions, one map per transaction. */
    List<Map<TopicPartition, OffsetAndMetadata>> committedOffsets() {
        return producer.consumerGroupOffsetsHistory().stream().flatMap(byGroup -> byGroup.values().stream()).toList();
    }

    @Override
    public void close() {
        worker.close();
    }
}
