package dev.tierflow.worker.app;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.runtime.CommittedRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that is not a registry-framed RoutedTask in the middle of a tier topic, two workers in one group:
 * every other task gets exactly one span, the poison is dead-lettered exactly once to tasks.<tier>.dlq, and
 * both workers stay up and healthy.
 */
@ExtendWith(TierFlowInfraExtension.class)
class PoisonRecordIT {

    private static final String TIER = "poison-it";
    private static final int TASKS = 80;

    @Test
    void poisonIsDeadLetteredOnceAndBothWorkersKeepWorking(TierFlowInfra infra, @TempDir Path dir) throws Exception {
        String run = "poison" + System.nanoTime();
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: "poison-it-1"
                tiers:
                  - {name: poison-it, model: claude-haiku-4-5, provider: anthropic}
                  - {name: poison-it-top, model: claude-sonnet-4-5, provider: anthropic}
                defaultTier: poison-it
                """);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        ModelBackend counting = request -> {
            calls.computeIfAbsent(request.taskId(), id -> new AtomicInteger()).incrementAndGet();
            return new ModelResponse("{}", request.model(), request.provider(), null, 50, 10, 0, FinishReason.STOP, 0.9, null, 3);
        };
        Properties config = WorkerSettings.defaults();
        config.setProperty("bootstrap.servers", infra.bootstrapServers());
        config.setProperty("apicurio.registry.url", infra.registryUrl());
        config.setProperty(WorkerSettings.TIER, TIER);
        config.setProperty(WorkerSettings.POLICY_FILE, policy.toString());
        config.setProperty(WorkerSettings.PRICES_FILE, "../examples/prices.yaml");
        config.setProperty(WorkerSettings.TOPIC_PARTITIONS, "3");
        config.setProperty(WorkerSettings.CONCURRENCY, "4");
        config.setProperty(WorkerSettings.GROUP_ID, "workers-" + run);
        config.setProperty(WorkerSettings.METRICS_PORT, "0");

        try (WorkerApp first = WorkerApp.start(WorkerSettings.from(config), Map.of(), tier -> counting);
             WorkerApp second = WorkerApp.start(WorkerSettings.from(config), Map.of(), tier -> counting);
             KafkaProducer<String, byte[]> router = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                     new ByteArraySerializer())) {
            Serializer<RoutedTask> routed = infra.avroSerdes().avro(RoutedTask.class, false).serializer();
            String topic = Topics.routedTasks(TIER).name();
            byte[] poison = "\u0000\u0000\u0000\u0000\u0007 this is not avro".getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < TASKS; i++) {
                if (i == TASKS / 2) {
                    router.send(new ProducerRecord<>(topic, 1, run + "-poison", poison));
                }
                AgentTask task = task(run + "-" + i).role("worker").type("extract").build();
                router.send(new ProducerRecord<>(topic, task.getTaskId(), routed.serialize(topic, new RoutedTask(task, TIER,
                        "claude-haiku-4-5", "anthropic", 256, "poison-it-1", null, RoutingRule.STATIC_RULE, "role=worker",
                        TestInstants.BEGINNING))));
            }
            router.flush();

            Deserializer<ResultSpan> spans = infra.avroSerdes().avro(ResultSpan.class, false).deserializer();
            await().atMost(Duration.ofSeconds(90)).until(() -> spansPerTask(infra, run, spans).size() == TASKS
                    && deadLetters(infra, run).size() == 1);

            Map<String, Integer> perTask = spansPerTask(infra, run, spans);
            assertThat(perTask).hasSize(TASKS);
            assertThat(perTask.values()).allMatch(count -> count == 1);
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(infra, run);
            assertThat(letters).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertThat(letter.value()).isEqualTo(poison);
            assertThat(header(letter, DeadLetterHeaders.REASON)).isIn("UNDECODABLE", "UNKNOWN_SCHEMA_ID");
            assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topic);
            assertThat(header(letter, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("1");
            assertThat(calls).hasSize(TASKS);
            assertThat(calls.values()).allMatch(count -> count.get() == 1);

            for (WorkerApp worker : List.of(first, second)) {
                assertThat(worker.isRunning()).isTrue();
                assertThat(health(worker.metricsPort())).isEqualTo(200);
            }
            assertThat(scrape(first.metricsPort()) + scrape(second.metricsPort()))
                    .contains("tierflow_worker_dead_letters_total{reason=\"" + header(letter, DeadLetterHeaders.REASON) + "\",tier=\"" + TIER + "\"} 1.0");
        }
    }

    private static Map<String, Integer> spansPerTask(TierFlowInfra infra, String run, Deserializer<ResultSpan> spans) {
        String results = Topics.results(TIER).name();
        Map<String, Integer> perTask = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : CommittedRecords.of(infra, results)) {
            ResultSpan span = spans.deserialize(results, record.value());
            if (span.getTaskId().startsWith(run + "-")) {
                perTask.merge(span.getTaskId() + "#" + span.getAttempt(), 1, Integer::sum);
            }
        }
        return perTask;
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(TierFlowInfra infra, String run) {
        return CommittedRecords.of(infra, Topics.workerDeadLetters(TIER).name()).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(run)).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static int health(int port) throws Exception {
        return get(port, "/health").statusCode();
    }

    private static String scrape(int port) throws Exception {
        return get(port, "/metrics").body();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
