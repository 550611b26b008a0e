package dev.tierflow.router;

import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterConfigLoader;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router on a real KRaft broker and the real Apicurio Registry, exactly_once_v2: 10,000 tasks with
 * bad ones mixed in; every task id ends up exactly once across the tier topics and the DLQ
 * (read_committed), and an override published mid-stream changes where later tasks of that role go.
 */
@ExtendWith(TierFlowInfraExtension.class)
class RouterIT {

    private static final int TOTAL = 10_000;
    private static final int HALF = TOTAL / 2;
    private static final List<String> TIERS = List.of("small", "mid", "frontier");

    @TempDir
    Path stateDir;

    @Test
    void everyTaskEndsUpExactlyOnceAndALiveOverrideMovesLaterTasks(TierFlowInfra infra) throws Exception {
        String run = "it" + System.nanoTime();
        Properties config = RouterConfigLoader.defaults();
        config.setProperty("bootstrap.servers", infra.bootstrapServers());
        config.setProperty(AvroSerdes.REGISTRY_URL, infra.registryUrl());
        config.setProperty("application.id", "router-" + run);
        config.setProperty("state.dir", stateDir.toString());
        config.setProperty("commit.interval.ms", "100");
        config.setProperty(RouterSettings.POLICY_FILE, "../examples/policy.yaml");
        config.setProperty(RouterSettings.PRICES_FILE, "../examples/prices.yaml");
        config.setProperty(RouterSettings.METRICS_PORT, "0");
        config.setProperty(RouterSettings.TOPIC_PARTITIONS, "3");

        Map<String, String> expectedDeadLetterReasons = new HashMap<>();
        try (RouterApp router = RouterApp.start(RouterSettings.from(config));
             KafkaProducer<String, AgentTask> tasks = new KafkaProducer<>(producerConfig(infra), new StringSerializer(),
                     infra.avroSerdes().valueSerde(Topics.TASKS).serializer());
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producerConfig(infra), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaProducer<String, PolicyRule> policy = new KafkaProducer<>(producerConfig(infra), new StringSerializer(),
                     infra.avroSerdes().valueSerde(Topics.POLICY).serializer())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> router.state() == KafkaStreams.State.RUNNING);

            produce(run, 0, HALF, tasks, raw, expectedDeadLetterReasons);
            try (CommittedOutput output = new CommittedOutput(infra, run)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> output.poll() >= HALF);
            }

            policy.send(new ProducerRecord<>(Topics.POLICY.name(), "role=worker", override("role=worker").tier("small").version(1).build())).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> router.metrics().overridesApplied() >= 1);

            produce(run, HALF, TOTAL, tasks, raw, expectedDeadLetterReasons);
            try (CommittedOutput output = new CommittedOutput(infra, run)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> output.poll() >= TOTAL);
            }

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + router.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("tierflow_router_decisions_total{rule=\"LIVE_OVERRIDE\",tier=\"small\"}")
                    .contains("tierflow_router_dead_letters_total{reason=\"UNKNOWN_SCHEMA_ID\"}");
            // other tests share the broker and its policy topic: leave no override behind
            policy.send(new ProducerRecord<>(Topics.POLICY.name(), "role=worker", null)).get();
        }

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = readCommitted(infra, run);
        Map<String, Integer> occurrences = new HashMap<>();
        byTopic.values().forEach(records -> records.forEach(r -> occurrences.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum)));
        assertThat(occurrences).hasSize(TOTAL);
        assertThat(occurrences.values()).allMatch(n -> n == 1);

        Map<String, String> deadLetterReasons = byTopic.get(Topics.TASKS_DLQ.name()).stream().collect(Collectors.toMap(
                r -> new String(r.key(), StandardCharsets.UTF_8),
                r -> new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8)));
        assertThat(deadLetterReasons).isEqualTo(expectedDeadLetterReasons);

        var routedDeserializer = infra.avroSerdes().avro(RoutedTask.class, false).deserializer();
        List<RoutedTask> workers = new ArrayList<>();
        for (String tier : TIERS) {
            String topic = Topics.routedTasks(tier).name();
            for (ConsumerRecord<byte[], byte[]> record : byTopic.get(topic)) {
                RoutedTask routed = routedDeserializer.deserialize(topic, record.value());
                assertThat(routed.getTier()).isEqualTo(tier);
                if (routed.getTask().getRole().equals("worker") && routed.getRule() != RoutingRule.PIN) {
                    workers.add(routed);
                }
            }
        }
        Map<Boolean, List<RoutedTask>> beforeAndAfter = workers.stream()
                .collect(Collectors.partitioningBy(r -> sequence(run, r.getTask().getTaskId()) >= HALF));
        assertThat(beforeAndAfter.get(false)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getTier()).isEqualTo("mid");
            assertThat(r.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        });
        assertThat(beforeAndAfter.get(true)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getTier()).isEqualTo("small");
            assertThat(r.getRule()).isEqualTo(RoutingRule.LIVE_OVERRIDE);
            assertThat(r.getOverrideVersion()).isEqualTo(1L);
        });
    }

    /** Tasks {@code from..to-1}; about one in thirty is bad in one of five ways. */
    private static void produce(String run, int from, int to, KafkaProducer<String, AgentTask> tasks, KafkaProducer<byte[], byte[]> raw,
                                Map<String, String> expectedDeadLetters) throws Exception {
        String[] roles = {"planner", "worker", "worker", "worker", "critic", "file-ops", "reviewer"};
        String[] types = {"plan", "extract", "summarize", "classify", "format"};
        for (int i = from; i < to; i++) {
            String id = String.format("%s-task-%05d", run, i);
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            String tenant = i % 50 == 0 ? "acme-health" : "acme";
            AgentTask good = task(id).tenant(tenant).role(roles[i % roles.length]).type(types[i % types.length])
                    .inputTokens((i * 37) % 40_000).build();
            switch (i % 30 == 7 ? (i / 30) % 5 : -1) {
                case 0 -> {
                    raw.send(new ProducerRecord<>(Topics.TASKS.name(), key, ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
                    expectedDeadLetters.put(id, "UNDECODABLE");
                }
                case 1 -> {
                    raw.send(new ProducerRecord<>(Topics.TASKS.name(), key, ByteBuffer.allocate(9).put((byte) 0).putInt(900_000 + i).putInt(i).array()));
                    expectedDeadLetters.put(id, "UNKNOWN_SCHEMA_ID");
                }
                case 2 -> {
                    tasks.send(new ProducerRecord<>(Topics.TASKS.name(), id, task(id).role("").build()));
                    expectedDeadLetters.put(id, "INVALID_FIELD");
                }
                case 3 -> {
                    tasks.send(new ProducerRecord<>(Topics.TASKS.name(), id, task(id).inputTokens(-1).build()));
                    expectedDeadLetters.put(id, "INVALID_FIELD");
                }
                case 4 -> {
                    tasks.send(new ProducerRecord<>(Topics.TASKS.name(), id, task(id).escalatedFrom("mid", 3).build()));
                    expectedDeadLetters.put(id, "MAX_ATTEMPTS_EXCEEDED");
                }
                default -> tasks.send(new ProducerRecord<>(Topics.TASKS.name(), id, good));
            }
        }
        tasks.flush();
        raw.flush();
    }

    private static int sequence(String run, String taskId) {
        return Integer.parseInt(taskId.substring((run + "-task-").length()));
    }

    private static boolean ofRun(ConsumerRecord<byte[], byte[]> record, String run) {
        return record.key() != null && new String(record.key(), StandardCharsets.UTF_8).startsWith(run + "-");
    }

    /** Counts, as they are committed, the distinct task ids of this run on the tier topics and the DLQ. */
    private static final class CommittedOutput implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String run;
        private final java.util.Set<String> seen = new java.util.HashSet<>();

        CommittedOutput(TierFlowInfra infra, String run) {
            Properties props = infra.consumerProps("progress-" + System.nanoTime(), true);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.run = run;
            List<String> topics = new ArrayList<>(TIERS.stream().map(t -> Topics.routedTasks(t).name()).toList());
            topics.add(Topics.TASKS_DLQ.name());
            consumer.subscribe(topics);
        }

        int poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (ofRun(r, run)) {
                    seen.add(new String(r.key(), StandardCharsets.UTF_8));
                }
            });
            return seen.size();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static Properties producerConfig(TierFlowInfra infra) {
        Properties props = infra.producerProps();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return props;
    }

    /** This run's records committed on the tier topics and the DLQ, read from the start up to the last stable offset. */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> readCommitted(TierFlowInfra infra, String run) {
        Properties props = infra.consumerProps("verify-" + System.nanoTime(), true);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> topics = new ArrayList<>(TIERS.stream().map(t -> Topics.routedTasks(t).name()).toList());
            topics.add(Topics.TASKS_DLQ.name());
            for (String topic : topics) {
                byTopic.put(topic, new ArrayList<>());
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (ofRun(r, run)) {
                        byTopic.get(r.topic()).add(r);
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return byTopic;
    }
}
