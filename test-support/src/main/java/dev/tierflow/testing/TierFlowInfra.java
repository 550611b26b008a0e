package dev.tierflow.testing;

import dev.tierflow.embedded.ApicurioRegistryServer;
import dev.tierflow.schemas.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infrastructure integration tests share: one real KRaft broker in this JVM and one real Apicurio
 * Registry server as a child process. Get it through {@link TierFlowInfraExtension}, which starts it once
 * per test JVM and closes it when the run ends; tests isolate themselves by topic and group names.
 */
public final class TierFlowInfra implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TierFlowInfra.class);
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClusterTestKit cluster;
    private final ApicurioRegistryServer registry;
    private final Admin admin;

    private TierFlowInfra(KafkaClusterTestKit cluster, ApicurioRegistryServer registry) {
        this.cluster = cluster;
        this.registry = registry;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    /** Starts the broker and the registry side by side (the registry takes longer) and waits for both. */
    public static TierFlowInfra start() {
        long started = System.nanoTime();
        CompletableFuture<ApicurioRegistryServer> registry = CompletableFuture.supplyAsync(() -> {
            ApicurioRegistryServer server = ApicurioRegistryServer.start(
                    ApicurioRegistryServer.Settings.defaults().withLogDir(logDir()));
            LOG.info("Apicurio Registry ready at {} after {} ms", server.url(), millisSince(started));
            return server;
        }, command -> new Thread(command, "start-apicurio-registry").start());
        KafkaClusterTestKit cluster;
        try {
            cluster = startBroker();
            LOG.info("Kafka broker ready at {} after {} ms", cluster.bootstrapServers(), millisSince(started));
        } catch (Exception | Error e) {
            registry.thenAccept(ApicurioRegistryServer::close);
            throw asUnchecked("could not start the Kafka broker", e);
        }
        try {
            return new TierFlowInfra(cluster, registry.join());
        } catch (CompletionException e) {
            closeQuietly(cluster);
            throw asUnchecked("could not start Apicurio Registry", e.getCause());
        }
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static KafkaClusterTestKit startBroker() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                // One broker: internal topics default to 3 replicas and initTransactions() would hang.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                // Tests' consumer groups should not wait 3 s for more members to join.
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception | Error e) {
            closeQuietly(cluster);
            throw e;
        }
    }

    /** The registry's output goes under the module's target directory when there is one, for post-mortems. */
    private static Path logDir() {
        Path target = Paths.get("target");
        return Files.isDirectory(target) ? target.resolve("tierflow-infra") : null;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The registry's core API ({@code .../apis/registry/v3}), as the serdes want it. */
    public String registryUrl() {
        return registry.url();
    }

    /** Serdes registering and reading schemas through the shared registry. */
    public AvroSerdes avroSerdes() {
        return AvroSerdes.forRegistry(registryUrl());
    }

    /** An admin client on the broker, shared by all tests: do not close it. */
    public Admin admin() {
        return admin;
    }

    /**
     * Creates the topics with one replica unless they exist (whatever their partition count), and returns
     * once every partition has a leader, so producing at once does not race the creation.
     */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        admin.createTopics(topics).values().forEach((name, created) -> {
            try {
                created.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
        Awaitility.await("topics " + Arrays.toString(names) + " have leaders").atMost(TOPIC_READY_TIMEOUT)
                // metadata of a just-created topic may lag on the admin's side
                .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
                .until(() -> admin.describeTopics(Arrays.asList(names)).allTopicNames().get().values().stream()
                        .flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null));
    }

    /** Bootstrap servers and acks=all; no serializers, so callers choose theirs. */
    public Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    /**
     * Bootstrap servers, the group, reading from the earliest offset, and read_committed when the test
     * reads exactly-once output (whose end offsets include transaction markers); no deserializers.
     */
    public Properties consumerProps(String groupId, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        return p;
    }

    /** Stops the admin client, the registry and the broker. */
    @Override
    public void close() {
        LOG.info("Stopping the shared Kafka broker and Apicurio Registry");
        admin.close(Duration.ofSeconds(10));
        registry.close();
        closeQuietly(cluster);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            // Shutting down at the end of a run: nothing more to do.
        }
    }

    private static RuntimeException asUnchecked(String message, Throwable cause) {
        return cause instanceof RuntimeException r ? r : new IllegalStateException(message, cause);
    }
}
