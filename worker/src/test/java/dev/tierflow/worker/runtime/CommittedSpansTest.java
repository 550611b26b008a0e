package dev.tierflow.worker.runtime;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.policy.price.PriceCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The committed-spans hook sees exactly the spans of a batch whose transaction committed, and nothing of one
 * that aborted; with Kafka's MockConsumer and MockProducer, so without a broker.
 */
class CommittedSpansTest {

    private static final String TIER = "small";
    private static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));
    private static final Clock CLOCK = Clock.fixed(TestInstants.BEGINNING, ZoneOffset.UTC);
    private static final OutputContract NEEDS_ID = new OutputContract(null, List.of("id"), null, null, null);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.routedTasks(TIER).name(), 0);

    /** Answers with an id (passes) unless the task id ends in "-bad" (fails its check, escalated). */
    private static final ModelBackend MODELS = request -> new ModelResponse(
            request.taskId().endsWith("-bad") ? "{\"name\": \"no id\"}" : "{\"id\": \"X\"}",
            request.model(), request.provider(), null, 100, 20, 0, FinishReason.STOP, 0.8, null, 5);

    private final MockConsumer<String, RoutedTask> consumer = new MockConsumer<>("earliest");
    private final MockProducer<String, Object> producer =
            new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    private final List<List<ResultSpan>> heard = new CopyOnWriteArrayList<>();
    private TierWorker worker;

    @BeforeEach
    void start() {
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        producer.initTransactions();
        worker = new TierWorker(TIER, new AttemptRunner(MODELS, PRICES, new OutputChecker(), CLOCK, false),
                consumer, producer, 4, heard::add);
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    private static ConsumerRecords<String, RoutedTask> batch(long firstOffset, String... taskIds) {
        List<ConsumerRecord<String, RoutedTask>> records = new ArrayList<>();
        long offset = firstOffset;
        for (String taskId : taskIds) {
            AgentTask task = task(taskId).run("run-1").contract(NEEDS_ID).build();
            RoutedTask routed = new RoutedTask(task, TIER, "claude-haiku-4-5", "anthropic", 500, "v1", null,
                    RoutingRule.STATIC_RULE, "role=worker", TestInstants.BEGINNING);
            records.add(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset++, taskId, routed));
        }
        return new ConsumerRecords<>(Map.of(PARTITION, records), Map.of());
    }

    private List<ResultSpan> spansSent() {
        return producer.history().stream().map(ProducerRecord::value)
                .filter(ResultSpan.class::isInstance).map(ResultSpan.class::cast).toList();
    }

    @Test
    void hookHearsExactlyTheSpansOfTheCommittedBatchAfterTheCommit() {
        worker.processBatch(batch(0, "t-1", "t-2-bad", "t-3"));

        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0)).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2-bad", "t-3");
        assertThat(heard.get(0)).isEqualTo(spansSent());
        // the escalation went with them but is no span
        assertThat(producer.history()).hasSize(4);
        assertThat(producer.consumerGroupOffsetsHistory()).hasSize(1);
        assertThat(producer.consumerGroupOffsetsHistory().get(0).values().iterator().next())
                .containsEntry(PARTITION, new OffsetAndMetadata(3));
    }

    @Test
    void eachCommittedBatchIsHeardOnceAndSeparately() {
        worker.processBatch(batch(0, "t-1", "t-2"));
        worker.processBatch(batch(2, "t-3"));

        assertThat(heard).hasSize(2);
        assertThat(heard.get(0)).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2");
        assertThat(heard.get(1)).extracting(ResultSpan::getTaskId).containsExactly("t-3");
    }

    @Test
    void nothingIsHeardOfABatchWhoseTransactionAborted() {
        producer.commitTransactionException = new KafkaException("rebalance in progress");

        worker.processBatch(batch(5, "t-1", "t-2"));

        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.transactionCommitted()).isFalse();
        assertThat(heard).isEmpty();
        // rewound to redo the batch: once that commits, the hook hears it then
        assertThat(consumer.position(PARTITION)).isEqualTo(5);
        producer.commitTransactionException = null;
        worker.processBatch(batch(5, "t-1", "t-2"));
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0)).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2");
    }

    @Test
    void aFailingHookDoesNotUndoOrStopTheWorker() {
        List<String> later = new ArrayList<>();
        worker.close();
        worker = new TierWorker(TIER, new AttemptRunner(MODELS, PRICES, new OutputChecker(), CLOCK, false), consumer, producer, 2,
                spans -> {
                    later.addAll(spans.stream().map(ResultSpan::getTaskId).toList());
                    throw new IllegalStateException("exporter down");
                });

        worker.processBatch(batch(0, "t-1"));
        worker.processBatch(batch(1, "t-2"));

        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(later).containsExactly("t-1", "t-2");
    }

}
