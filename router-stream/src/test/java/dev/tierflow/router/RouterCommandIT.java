package dev.tierflow.router;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.embedded.Ports;
import dev.tierflow.router.app.RouterCommand;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The router as its users run it: a separate JVM started with flags, serving metrics, stopped by SIGTERM. */
@ExtendWith(TierFlowInfraExtension.class)
class RouterCommandIT {

    @TempDir
    Path dir;

    @Test
    void runsFromTheCommandLineAndStopsCleanlyOnSigterm(TierFlowInfra infra) throws Exception {
        int metricsPort = Ports.freePort();
        Path log = dir.resolve("router.log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process router = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), RouterCommand.class.getName(),
                "--policy", "../examples/policy.yaml",
                "--prices", "../examples/prices.yaml",
                "--bootstrap-servers", infra.bootstrapServers(),
                "--registry-url", infra.registryUrl(),
                "--application-id", "router-cli-" + System.nanoTime(),
                "--metrics-port", String.valueOf(metricsPort),
                "-D", "state.dir=" + dir.resolve("state")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(http, metricsPort, "/health").statusCode() == 200);

            String id = "cli-" + System.nanoTime();
            try (KafkaProducer<String, AgentTask> producer = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                    infra.avroSerdes().valueSerde(Topics.TASKS).serializer())) {
                producer.send(new ProducerRecord<>(Topics.TASKS.name(), id, task(id).role("planner").build())).get();
            }
            assertThat(routedTo(infra, Topics.routedTasks("frontier").name(), id).getRule()).isEqualTo(RoutingRule.STATIC_RULE);
            // the router reads 'tasks' from the start, so other tests' tasks on the shared broker count too
            assertThat(get(http, metricsPort, "/metrics").body())
                    .containsPattern("tierflow_router_decisions_total\\{rule=\"STATIC_RULE\",tier=\"frontier\"} [1-9]");

            router.destroy(); // SIGTERM
            assertThat(router.waitFor(45, TimeUnit.SECONDS)).as("router exits after SIGTERM").isTrue();
            assertThat(Files.readString(log)).contains("Router stopped cleanly (state NOT_RUNNING)");
        } finally {
            router.destroyForcibly();
        }
    }

    /** The routed task of that id, once it is committed on that topic. */
    private static RoutedTask routedTo(TierFlowInfra infra, String topic, String id) {
        Properties props = infra.consumerProps("cli-check-" + System.nanoTime(), true);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var deserializer = infra.avroSerdes().avro(RoutedTask.class, false).deserializer();
        AtomicReference<RoutedTask> found = new AtomicReference<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (id.equals(r.key())) {
                        found.set(deserializer.deserialize(topic, r.value()));
                    }
                });
                return found.get() != null;
            });
        }
        return found.get();
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
