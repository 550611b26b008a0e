package dev.tierflow.router;

import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.embedded.ApicurioRegistryServer;
import dev.tierflow.embedded.Ports;
import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterConfigLoader;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.EvolvedSchemaWriter;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * A registry outage is an outage, not a stream of bad records. The router runs on its own registry
 * process (file storage, so a restart keeps the ids), which is stopped mid-stream while tasks and a live
 * override keep coming, some of them written by a producer on a newer schema version whose id the router
 * has never seen, so it must ask the registry. After the registry is back: not one good task
 * dead-lettered, every task routed exactly once, and the override written during the outage applied.
 */
@ExtendWith(TierFlowInfraExtension.class)
class RegistryOutageMidStreamIT {

    private static final List<String> TIERS = List.of("small", "mid", "frontier");
    private static final int BEFORE = 200;
    private static final int DURING = 200;
    private static final int AFTER = 100;

    @TempDir
    Path work;

    @Test
    void tasksAndOverridesThatArriveWhileTheRegistryIsDownAreRoutedOnceItIsBack(TierFlowInfra infra) throws Exception {
        String run = "outage" + System.nanoTime();
        int[] ports = Ports.freePorts(2);
        ApicurioRegistryServer.Settings registrySettings = ApicurioRegistryServer.Settings.defaults()
                .withPorts(ports[0], ports[1]).withLogDir(work).withFileStorage(work.resolve("registry"));
        ApicurioRegistryServer registry = ApicurioRegistryServer.start(registrySettings);
        try {
            AvroSerdes serdes = AvroSerdes.forRegistry(registry.url());
            EvolvedSchemaWriter<AgentTask> newerTasks = EvolvedSchemaWriter.register(registry.ccompatUrl(), "tasks-value",
                    AgentTask.getClassSchema(), AgentTask.class);
            EvolvedSchemaWriter<PolicyRule> newerRules = EvolvedSchemaWriter.register(registry.ccompatUrl(), "policy-value",
                    PolicyRule.getClassSchema(), PolicyRule.class);
            try (RouterApp router = RouterApp.start(RouterSettings.from(routerConfig(infra, registry, run)));
                 KafkaProducer<String, AgentTask> tasks = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                         serdes.valueSerde(Topics.TASKS).serializer());
                 KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(infra.producerProps(), new ByteArraySerializer(),
                         new ByteArraySerializer())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> router.state() == KafkaStreams.State.RUNNING);
                for (int i = 0; i < BEFORE; i++) {
                    tasks.send(new ProducerRecord<>(Topics.TASKS.name(), id(run, i), worker(run, i)));
                }
                tasks.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> committedOutput(infra, run).size() >= BEFORE);

                registry.close();
                // during the outage: the override and half the tasks on a schema id the router has never seen
                String scope = "role=worker-" + run;
                raw.send(new ProducerRecord<>(Topics.POLICY.name(), bytes(scope),
                        newerRules.frame(override(scope).tier("small").version(7).build()))).get();
                for (int i = BEFORE; i < BEFORE + DURING; i++) {
                    if (i % 2 == 0) {
                        raw.send(new ProducerRecord<>(Topics.TASKS.name(), bytes(id(run, i)), newerTasks.frame(worker(run, i))));
                    } else {
                        tasks.send(new ProducerRecord<>(Topics.TASKS.name(), id(run, i), worker(run, i)));
                    }
                }
                raw.flush();
                tasks.flush();
                // an outage must not turn good records into dead letters while it lasts
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                        .until(() -> deadLettersOf(committedOutput(infra, run)) == 0);

                registry = ApicurioRegistryServer.start(registrySettings);
                await().atMost(Duration.ofSeconds(120)).until(() -> committedOutput(infra, run).size() >= BEFORE + DURING);
                await().atMost(Duration.ofSeconds(60)).until(() -> router.metrics().overridesApplied() >= 1);
                for (int i = BEFORE + DURING; i < BEFORE + DURING + AFTER; i++) {
                    tasks.send(new ProducerRecord<>(Topics.TASKS.name(), id(run, i), worker(run, i)));
                }
                tasks.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> committedOutput(infra, run).size() >= BEFORE + DURING + AFTER);
                raw.send(new ProducerRecord<>(Topics.POLICY.name(), bytes(scope), null)).get();
            }

            List<ConsumerRecord<byte[], byte[]>> output = committedOutput(infra, run);
            assertThat(deadLettersOf(output)).as("good records dead-lettered").isZero();
            Map<String, Integer> occurrences = new HashMap<>();
            output.forEach(r -> occurrences.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum));
            assertThat(occurrences).hasSize(BEFORE + DURING + AFTER);
            assertThat(occurrences.values()).as("each task routed exactly once").allMatch(n -> n == 1);
            var routed = AvroSerdes.forRegistry(registry.url()).avro(RoutedTask.class, false).deserializer();
            for (ConsumerRecord<byte[], byte[]> record : output) {
                RoutedTask task = routed.deserialize(record.topic(), record.value());
                if (sequence(run, task.getTask().getTaskId()) >= BEFORE + DURING) {
                    assertThat(task.getRule()).as("the override written during the outage").isEqualTo(RoutingRule.LIVE_OVERRIDE);
                    assertThat(task.getTier()).isEqualTo("small");
                    assertThat(task.getOverrideVersion()).isEqualTo(7L);
                }
            }
        } finally {
            registry.close();
        }
    }

    private static AgentTask worker(String run, int i) {
        return task(id(run, i)).tenant("acme").role("worker-" + run).type("extract").inputTokens(500 + i).build();
    }

    private static String id(String run, int i) {
        return String.format("%s-task-%05d", run, i);
    }

    private static int sequence(String run, String taskId) {
        return Integer.parseInt(taskId.substring((run + "-task-").length()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Properties routerConfig(TierFlowInfra infra, ApicurioRegistryServer registry, String run) {
        Properties config = RouterConfigLoader.defaults();
        config.setProperty("bootstrap.servers", infra.bootstrapServers());
        config.setProperty(AvroSerdes.REGISTRY_URL, registry.url());
        config.setProperty("application.id", "router-" + run);
        config.setProperty("state.dir", work.resolve("streams").toString());
        config.setProperty("commit.interval.ms", "100");
        config.setProperty(RouterSettings.POLICY_FILE, "../examples/policy.yaml");
        config.setProperty(RouterSettings.PRICES_FILE, "../examples/prices.yaml");
        config.setProperty(RouterSettings.METRICS_PORT, "-1");
        config.setProperty(RouterSettings.TOPIC_PARTITIONS, "3");
        return config;
    }

    private static long deadLettersOf(List<ConsumerRecord<byte[], byte[]>> output) {
        return output.stream().filter(r -> r.topic().equals(Topics.TASKS_DLQ.name())).count();
    }

    /** This run's records committed on the tier topics and the DLQ, read from the start to the last stable offset. */
    private static List<ConsumerRecord<byte[], byte[]>> committedOutput(TierFlowInfra infra, String run) {
        Properties props = infra.consumerProps("verify-" + System.nanoTime(), true);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> output = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> topics = new ArrayList<>(TIERS.stream().map(t -> Topics.routedTasks(t).name()).toList());
            topics.add(Topics.TASKS_DLQ.name());
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(run + "-")) {
                        output.add(r);
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return output;
    }
}
