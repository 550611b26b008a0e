package dev.tierflow.worker.app;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import dev.tierflow.worker.backend.ModelBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** The worker as configured from its command line: the tier's simulator backend, priced spans on results.<tier>. */
@ExtendWith(TierFlowInfraExtension.class)
class WorkerAppIT {

    @Test
    void workerStartedFromItsFlagsAnswersARoutedTaskWithAPricedSpan(TierFlowInfra infra) throws Exception {
        WorkerCommand command = new WorkerCommand(Map.of());
        new CommandLine(command).parseArgs("--tier", "small", "--policy", "../examples/policy.yaml", "--prices", "../examples/prices.yaml",
                "--bootstrap-servers", infra.bootstrapServers(), "--registry-url", infra.registryUrl(), "--concurrency", "2",
                "-D", "tierflow.worker.group.id=app-it-" + System.nanoTime(), "-D", "tierflow.worker.topic.partitions=3");
        String id = "app-" + System.nanoTime();
        try (WorkerApp worker = WorkerApp.start(WorkerSettings.from(command.configuration()), Map.of());
             KafkaProducer<String, RoutedTask> router = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                     infra.avroSerdes().avro(RoutedTask.class, false).serializer())) {
            AgentTask task = task(id).role("file-ops").type("move-file").build();
            router.send(new ProducerRecord<>(Topics.routedTasks("small").name(), id, new RoutedTask(task, "small", "claude-haiku-4-5",
                    "anthropic", 128, "v1", null, RoutingRule.STATIC_RULE, "role=file-ops", TestInstants.BEGINNING))).get();

            ResultSpan span = spanOf(infra, id);

            assertThat(worker.isRunning()).isTrue();
            assertThat(span.getTier()).isEqualTo("small");
            assertThat(span.getModel()).isEqualTo("claude-haiku-4-5");
            assertThat(span.getStatus()).isIn(SpanStatus.OK, SpanStatus.BUDGET_EXHAUSTED);
            assertThat(span.getOutputTokens()).isBetween(1L, 128L);
            assertThat(span.getCostMicros()).isPositive();
        }
    }

    @Test
    void aLoopThatCannotGoOnTurnsHealthDownAndTheCommandExitsNonZero(TierFlowInfra infra) throws Exception {
        WorkerCommand command = new WorkerCommand(Map.of());
        new CommandLine(command).parseArgs("--tier", "small", "--policy", "../examples/policy.yaml", "--prices", "../examples/prices.yaml",
                "--bootstrap-servers", infra.bootstrapServers(), "--registry-url", infra.registryUrl(), "--concurrency", "2",
                "--metrics-port", "0", "-D", "tierflow.worker.group.id=app-dies-" + System.nanoTime(),
                "-D", "tierflow.worker.topic.partitions=3");
        String id = "dies-" + System.nanoTime();
        // What the loop must not survive: the process is out of memory.
        ModelBackend exhausted = request -> {
            throw new OutOfMemoryError("simulated: Java heap space");
        };
        try (WorkerApp worker = WorkerApp.start(WorkerSettings.from(command.configuration()), Map.of(), tier -> exhausted);
             KafkaProducer<String, RoutedTask> router = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                     infra.avroSerdes().avro(RoutedTask.class, false).serializer())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> health(worker.metricsPort()) == 200);
            AgentTask task = task(id).role("file-ops").type("move-file").build();
            router.send(new ProducerRecord<>(Topics.routedTasks("small").name(), id, new RoutedTask(task, "small", "claude-haiku-4-5",
                    "anthropic", 128, "v1", null, RoutingRule.STATIC_RULE, "role=file-ops", TestInstants.BEGINNING))).get();

            assertThat(WorkerCommand.exitCode(worker)).isEqualTo(1);
            assertThat(worker.isRunning()).isFalse();
            assertThat(worker.failure()).isInstanceOf(OutOfMemoryError.class);
            assertThat(health(worker.metricsPort())).isEqualTo(503);
        }
    }

    private static int health(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static ResultSpan spanOf(TierFlowInfra infra, String id) {
        var props = infra.consumerProps("app-it-" + System.nanoTime(), true);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AtomicReference<ResultSpan> found = new AtomicReference<>();
        try (KafkaConsumer<String, ResultSpan> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                infra.avroSerdes().avro(ResultSpan.class, false).deserializer())) {
            consumer.subscribe(List.of(Topics.results("small").name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (id.equals(r.key())) {
                        found.set(r.value());
                    }
                });
                return found.get() != null;
            });
        }
        return found.get();
    }
}
