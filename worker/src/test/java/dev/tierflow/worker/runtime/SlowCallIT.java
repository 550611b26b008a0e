package dev.tierflow.worker.runtime;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.check.OutputChecker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One model call that takes longer than the consumer's max.poll.interval.ms: the worker is not evicted, what
 * finished meanwhile is committed, the slow call is made exactly once, and every task has exactly one span.
 */
@ExtendWith(TierFlowInfraExtension.class)
class SlowCallIT {

    private static final String TIER = "slow-it";
    private static final int TASKS = 30;
    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(10);

    @Test
    void aCallSlowerThanThePollIntervalIsMadeOnceAndNothingIsPaidTwice(TierFlowInfra infra) throws Exception {
        String run = "slow" + System.nanoTime();
        String slowTask = run + "-5";
        infra.createTopics(3, Topics.routedTasks(TIER).name(), Topics.results(TIER).name(), Topics.TASKS.name(),
                Topics.workerDeadLetters(TIER).name());
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong slowStarted = new AtomicLong();
        ModelBackend backend = request -> {
            calls.computeIfAbsent(request.taskId(), id -> new AtomicInteger()).incrementAndGet();
            if (request.taskId().equals(slowTask)) {
                slowStarted.compareAndSet(0, System.nanoTime());
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new ModelResponse("{}", request.model(), request.provider(), null, 50, 10, 0, FinishReason.STOP, 0.9, null, 3);
        };
        Properties clients = new Properties();
        clients.put("bootstrap.servers", infra.bootstrapServers());
        clients.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(MAX_POLL_INTERVAL.toMillis()));
        clients.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "8");
        PriceCatalog prices = PriceCatalog.load(Path.of("../examples/prices.yaml"));

        try (TierWorker worker = new TierWorker(TIER, new AttemptRunner(backend, prices, new OutputChecker(), Clock.systemUTC(), false),
                infra.avroSerdes(), clients, "workers-" + run, "worker-" + run, 4);
             KafkaProducer<String, RoutedTask> router = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                     infra.avroSerdes().avro(RoutedTask.class, false).serializer())) {
            Thread loop = new Thread(worker, "worker-slow-it");
            loop.start();
            for (int i = 0; i < TASKS; i++) {
                AgentTask task = task(run + "-" + i).role("worker").type("extract").build();
                router.send(new ProducerRecord<>(Topics.routedTasks(TIER).name(), task.getTaskId(), new RoutedTask(task, TIER,
                        "claude-haiku-4-5", "anthropic", 256, "v1", null, RoutingRule.STATIC_RULE, "role=worker", TestInstants.BEGINNING)));
            }
            router.flush();

            await().atMost(Duration.ofSeconds(60)).until(() -> slowStarted.get() != 0);
            // Hold the slow call well past max.poll.interval.ms: a loop blocked on it would be evicted by now.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> System.nanoTime() - slowStarted.get() > MAX_POLL_INTERVAL.plusSeconds(4).toNanos());
            int committedWhileSlow = spansPerTask(infra, run).size();
            release.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> spansPerTask(infra, run).size() == TASKS);
            worker.close();
            loop.join(Duration.ofSeconds(60).toMillis());

            assertThat(committedWhileSlow).as("tasks of the other partitions committed while the slow call ran").isPositive();
            Map<String, Integer> perTask = spansPerTask(infra, run);
            assertThat(perTask).hasSize(TASKS);
            assertThat(perTask.values()).allMatch(count -> count == 1);
            assertThat(calls.get(slowTask)).as("the slow call is made once").hasValue(1);
            assertThat(calls).hasSize(TASKS);
            assertThat(calls.values()).as("no call made twice").allMatch(count -> count.get() == 1);
            assertThat(worker.failure()).isNull();
        }
    }

    /** Spans per task id and attempt, as read_committed readers see them. */
    private static Map<String, Integer> spansPerTask(TierFlowInfra infra, String run) {
        String results = Topics.results(TIER).name();
        Deserializer<ResultSpan> spans = infra.avroSerdes().avro(ResultSpan.class, false).deserializer();
        Map<String, Integer> perTask = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : CommittedRecords.of(infra, results)) {
            ResultSpan span = spans.deserialize(results, record.value());
            if (span.getTaskId().startsWith(run + "-")) {
                assertThat(span.getStatus()).isEqualTo(SpanStatus.OK);
                perTask.merge(span.getTaskId() + "#" + span.getAttempt(), 1, Integer::sum);
            }
        }
        return perTask;
    }
}
