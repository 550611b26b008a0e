package dev.tierflow.router;

import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.embedded.ApicurioRegistryServer;
import dev.tierflow.embedded.Ports;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterConfigLoader;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.router.app.TopicProvisioner;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router started while the schema registry is down keeps its live overrides once the registry is back,
 * and routes every task exactly once, none dead-lettered. Runs its own broker and its own registry process
 * (never the shared ones: it stops this registry), the registry on a database file so it comes back with
 * the same schema ids.
 */
class RouterRegistryOutageIT {

    @TempDir
    Path dir;

    private KafkaClusterTestKit broker;
    private ApicurioRegistryServer registry;
    private ApicurioRegistryServer.Settings registrySettings;

    @BeforeEach
    void startBrokerAndRegistry() throws Exception {
        broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        broker.format();
        broker.startup();
        broker.waitForReadyBrokers();
        int[] ports = Ports.freePorts(2);
        registrySettings = new ApicurioRegistryServer.Settings(ports[0], ports[1], dir, Duration.ofSeconds(120),
                Map.of("apicurio.datasource.url", "jdbc:h2:file:" + dir.resolve("registry-db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE"));
        registry = ApicurioRegistryServer.start(registrySettings);
    }

    @AfterEach
    void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void routerStartedWhileTheRegistryIsDownKeepsItsOverridesOnceTheRegistryIsBack() throws Exception {
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(TopicProvisioner.topicsFor(PolicyLoader.load(Path.of("../examples/policy.yaml")), 1, Optional.empty()))
                    .all().get();
        }
        AvroSerdes serdes = AvroSerdes.forRegistry(registry.url());
        // An operator's freeze: role outage-critic (left to the classifier by the policy file) pinned to frontier.
        PolicyRule freeze = override("role=outage-critic").tier("frontier").version(7).source(PolicySource.OPERATOR, "freeze").build();
        List<AgentTask> tasks = List.of(task("before-outage").role("outage-critic").type("classify").build(),
                task("during-outage").role("outage-critic").type("classify").build());
        try (KafkaProducer<String, PolicyRule> policy = new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(),
                     serdes.valueSerde(Topics.POLICY).serializer());
             KafkaProducer<String, AgentTask> producer = new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(),
                     serdes.valueSerde(Topics.TASKS).serializer())) {
            policy.send(new ProducerRecord<>(Topics.POLICY.name(), freeze.getScope(), freeze)).get();
            producer.send(new ProducerRecord<>(Topics.TASKS.name(), tasks.get(0).getTaskId(), tasks.get(0))).get();

            registry.close();
            registry = null;

            try (RouterApp router = RouterApp.start(RouterSettings.from(routerConfig(bootstrap, registrySettings)))) {
                // the producer's serializer has the schema cached: agents keep producing through the outage
                producer.send(new ProducerRecord<>(Topics.TASKS.name(), tasks.get(1).getTaskId(), tasks.get(1))).get();
                await().atMost(Duration.ofSeconds(60)).until(() -> router.metrics().overridesWaitingForRegistry() >= 1);
                assertThat(router.metrics().overridesRejected()).as("an outage is not a bad record").isZero();

                registry = ApicurioRegistryServer.start(registrySettings);

                List<RoutedTask> routed = new ArrayList<>();
                try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer(bootstrap)) {
                    List<TopicPartition> partitions = new ArrayList<>();
                    for (String topic : List.of("tasks.small", "tasks.mid", "tasks.frontier", Topics.TASKS_DLQ.name())) {
                        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    var routedDeserializer = serdes.avro(RoutedTask.class, false).deserializer();
                    List<String> deadLettered = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(120)).until(() -> {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                            if (record.topic().equals(Topics.TASKS_DLQ.name())) {
                                deadLettered.add(new String(record.key()));
                            } else {
                                routed.add(routedDeserializer.deserialize(record.topic(), record.value()));
                            }
                        }
                        return routed.size() + deadLettered.size() >= tasks.size();
                    });
                    assertThat(deadLettered).isEmpty();
                }
                assertThat(routed).extracting(r -> r.getTask().getTaskId()).containsExactlyInAnyOrder("before-outage", "during-outage");
                assertThat(routed).allSatisfy(r -> {
                    assertThat(r.getTier()).isEqualTo("frontier");
                    assertThat(r.getRule()).isEqualTo(RoutingRule.LIVE_OVERRIDE);
                    assertThat(r.getOverrideVersion()).isEqualTo(7L);
                });
                assertThat(router.metrics().overridesRejected()).isZero();
            }
        }
    }

    private Properties routerConfig(String bootstrap, ApicurioRegistryServer.Settings settings) {
        Properties config = RouterConfigLoader.defaults();
        config.setProperty("bootstrap.servers", bootstrap);
        config.setProperty(AvroSerdes.REGISTRY_URL, "http://127.0.0.1:" + settings.httpPort() + "/apis/registry/v3");
        config.setProperty("application.id", "router-outage-" + System.nanoTime());
        config.setProperty("state.dir", dir.resolve("streams").toString());
        config.setProperty("commit.interval.ms", "100");
        config.setProperty(RouterSettings.POLICY_FILE, "../examples/policy.yaml");
        config.setProperty(RouterSettings.PRICES_FILE, "../examples/prices.yaml");
        config.setProperty(RouterSettings.METRICS_PORT, "-1");
        config.setProperty(RouterSettings.TOPIC_PARTITIONS, "1");
        return config;
    }

    private static Properties producerConfig(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private static KafkaConsumer<byte[], byte[]> committedConsumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + System.nanoTime());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
