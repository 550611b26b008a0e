package dev.tierflow.router;

import dev.tierflow.router.app.RouterConfigLoader;
import dev.tierflow.router.decision.LiveOverrideTable;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.router.stream.RouterTopology;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.InMemoryRegistry;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import dev.tierflow.testing.TestInstants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The router topology on a TopologyTestDriver with an in-memory registry, and its topics. */
final class RouterHarness implements AutoCloseable {

    static final Path TEST_POLICY = Path.of("src/test/resources/policy/router-test-policy.yaml");
    static final Path TEST_PRICES = Path.of("src/test/resources/policy/router-test-prices.yaml");
    static final PriceCatalog PRICES = PriceCatalog.load(TEST_PRICES);

    final RoutingPolicy policy;
    final RouterMetrics metrics;
    final RegistryClientFacade registry;
    final AvroSerdes serdes;
    final TopologyTestDriver driver;
    final TestInputTopic<String, AgentTask> tasks;
    final TestInputTopic<byte[], byte[]> rawTasks;
    final TestInputTopic<String, PolicyRule> policyTopic;
    final TestInputTopic<String, byte[]> rawPolicyTopic;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final Map<String, TestOutputTopic<String, RoutedTask>> tierTopics = new LinkedHashMap<>();

    RouterHarness() {
        this(PolicyLoader.load(TEST_POLICY));
    }

    RouterHarness(RoutingPolicy policy) {
        this(policy, new InMemoryRegistry());
    }

    RouterHarness(RegistryClientFacade registry) {
        this(PolicyLoader.load(TEST_POLICY), registry);
    }

    RouterHarness(RoutingPolicy policy, RegistryClientFacade registry) {
        this.policy = policy;
        this.registry = registry;
        this.serdes = AvroSerdes.withClient(registry);
        this.metrics = RouterMetrics.inMemory(policy);
        Properties config = RouterConfigLoader.defaults();
        config.put(RouterMetrics.CONFIG_KEY, metrics);
        // The test driver hands over exactly-once output only when its transaction commits on a wall-clock
        // interval; routing is the same under both guarantees, and RouterIT covers exactly_once_v2 on a real broker.
        config.put("processing.guarantee", "at_least_once");
        driver = new TopologyTestDriver(RouterTopology.build(policy, PRICES, serdes, new LiveOverrideTable(), metrics), config, TestInstants.BEGINNING);
        tasks = driver.createInputTopic(Topics.TASKS.name(), new StringSerializer(), serdes.valueSerde(Topics.TASKS).serializer());
        rawTasks = driver.createInputTopic(Topics.TASKS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        policyTopic = driver.createInputTopic(Topics.POLICY.name(), new StringSerializer(), serdes.valueSerde(Topics.POLICY).serializer());
        rawPolicyTopic = driver.createInputTopic(Topics.POLICY.name(), new StringSerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(Topics.TASKS_DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (Tier tier : policy.tiers()) {
            String name = Topics.routedTasks(tier.name()).name();
            tierTopics.put(tier.name(), driver.createOutputTopic(name, new StringDeserializer(), serdes.avro(RoutedTask.class, false).deserializer()));
        }
    }

    /** Sends one task and returns where it was routed; fails if it went anywhere but exactly one tier topic. */
    RoutedTask route(AgentTask task) {
        tasks.pipeInput(task.getTaskId(), task);
        List<RoutedTask> routed = drainTiers();
        if (routed.size() != 1 || !deadLetters.isEmpty()) {
            throw new AssertionError("expected exactly one routed task, got " + routed + " and "
                    + deadLetters.getQueueSize() + " dead letters");
        }
        return routed.get(0);
    }

    /** Every routed task waiting on any tier topic, removing them. */
    List<RoutedTask> drainTiers() {
        List<RoutedTask> all = new ArrayList<>();
        tierTopics.values().forEach(topic -> all.addAll(topic.readValuesToList()));
        return all;
    }

    List<TestRecord<byte[], byte[]>> drainDeadLetters() {
        return deadLetters.readRecordsToList();
    }

    void publish(PolicyRule rule) {
        policyTopic.pipeInput(rule.getScope(), rule);
    }

    void tombstone(String scope) {
        policyTopic.pipeInput(scope, null);
    }

    @Override
    public void close() {
        driver.close();
    }
}
