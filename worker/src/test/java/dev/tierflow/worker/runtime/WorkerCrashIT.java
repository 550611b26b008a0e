package dev.tierflow.worker.runtime;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker that dies mid-batch, before its transaction commits, and a second worker that takes over:
 * every routed task ends up with exactly one span (read_committed), none missing, none doubled.
 */
@ExtendWith(TierFlowInfraExtension.class)
class WorkerCrashIT {

    private static final int TASKS = 120;
    private static final String TIER = "crash-test";

    @Test
    void workerKilledMidBatchIsReplacedWithoutLosingOrDoublingASpan(TierFlowInfra infra) throws Exception {
        String run = "crash" + System.nanoTime();
        infra.createTopics(3, Topics.routedTasks(TIER).name(), Topics.results(TIER).name(), Topics.TASKS.name());
        try (KafkaProducer<String, RoutedTask> router = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                infra.avroSerdes().avro(RoutedTask.class, false).serializer())) {
            for (int i = 0; i < TASKS; i++) {
                AgentTask task = task(run + "-" + i).role("worker").type("extract").build();
                router.send(new ProducerRecord<>(Topics.routedTasks(TIER).name(), task.getTaskId(), new RoutedTask(task, TIER,
                        "claude-sonnet-4-5", "anthropic", 500, "v1", null, RoutingRule.STATIC_RULE, "role=worker", TestInstants.BEGINNING)));
            }
        }
        SimulatedModelBackend models = SimulatedModelBackend.withDefaults(11);
        PriceCatalog prices = PriceCatalog.load(Path.of("../examples/prices.yaml"));
        Properties clients = new Properties();
        clients.put("bootstrap.servers", infra.bootstrapServers());
        clients.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "16");
        String group = "workers-" + run;

        // The first worker's process "dies" during its 50th model call: calls of that batch have run,
        // nothing of it is committed.
        AtomicInteger calls = new AtomicInteger();
        ModelBackend dyingAt50 = request -> {
            if (calls.incrementAndGet() == 50) {
                throw new OutOfMemoryError("simulated crash of the worker process");
            }
            return models.call(request);
        };
        AtomicReference<Throwable> died = new AtomicReference<>();
        TierWorker first = new TierWorker(TIER, new AttemptRunner(dyingAt50, prices, new OutputChecker(), Clock.systemUTC(), false),
                infra.avroSerdes(), clients, group, "worker-" + run + "-a", 4);
        Thread firstThread = new Thread(first, "worker-a");
        firstThread.setUncaughtExceptionHandler((thread, e) -> died.set(e));
        firstThread.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> died.get() != null);
        firstThread.join(Duration.ofSeconds(30).toMillis());
        int committedBeforeTheCrash = committedSpans(infra, run).size();
        assertThat(committedBeforeTheCrash).as("some batches committed, the crashed one not").isBetween(1, 49);

        try (TierWorker second = new TierWorker(TIER, new AttemptRunner(models, prices, new OutputChecker(), Clock.systemUTC(), false),
                infra.avroSerdes(), clients, group, "worker-" + run + "-b", 4)) {
            Thread secondThread = new Thread(second, "worker-b");
            secondThread.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> committedSpans(infra, run).size() >= TASKS);
            second.close();
            secondThread.join(Duration.ofSeconds(30).toMillis());
        }

        List<ResultSpan> spans = committedSpans(infra, run);
        Map<String, Integer> perTask = new HashMap<>();
        spans.forEach(span -> perTask.merge(span.getTaskId() + "#" + span.getAttempt(), 1, Integer::sum));
        assertThat(perTask).hasSize(TASKS);
        assertThat(perTask.values()).allMatch(count -> count == 1);
    }

    /** Every span of this run committed on the results topic, read from the start to the last stable offset. */
    private static List<ResultSpan> committedSpans(TierFlowInfra infra, String run) {
        Properties props = infra.consumerProps("verify-" + System.nanoTime(), true);
        List<ResultSpan> spans = new ArrayList<>();
        String topic = Topics.results(TIER).name();
        try (KafkaConsumer<String, ResultSpan> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                infra.avroSerdes().avro(ResultSpan.class, false).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.key().startsWith(run + "-")) {
                        spans.add(r.value());
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return spans;
    }
}
