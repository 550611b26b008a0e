package dev.tierflow.attribution.app;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static dev.tierflow.testing.RoutedTaskBuilder.routed;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.embedded.ApicurioRegistryServer;
import dev.tierflow.embedded.KRaftBroker;
import dev.tierflow.embedded.Ports;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.EvolvedSchemaWriter;
import dev.tierflow.testing.TestInstants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry outage while the attribution job reads: its own broker and registry process (file storage,
 * so a restart keeps the ids), spans written by a worker on a newer span schema whose id the job has
 * never seen, and the registry stopped before the job reads them. The job fails and restarts until the
 * registry is back, then attributes every span: nothing dead-lettered, and each stats window emitted
 * once with the spend the test adds up from its own input.
 */
class AttributionRegistryOutageIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path POLICY = Path.of("../examples/policy.yaml");
    private static final Path PRICES = Path.of("../examples/prices.yaml");
    private static final Instant T = TestInstants.BEGINNING;
    private static final int SPANS = 12;

    @TempDir
    Path work;

    @Test
    void spansReadDuringAnOutageAreAttributedOnceTheRegistryIsBackNotDeadLettered() throws Exception {
        int[] ports = Ports.freePorts(4);
        // the records carry event times months before the wall clock: no time-based retention
        KRaftBroker.Settings brokerSettings = new KRaftBroker.Settings(ports[0], ports[1], work.resolve("kafka"))
                .withConfig("log.retention.ms", "-1");
        ApicurioRegistryServer.Settings registrySettings = ApicurioRegistryServer.Settings.defaults()
                .withPorts(ports[2], ports[3]).withLogDir(work).withFileStorage(work.resolve("registry"));
        RoutingPolicy policy = PolicyLoader.load(POLICY);
        try (KRaftBroker broker = KRaftBroker.start(brokerSettings)) {
            ApicurioRegistryServer registry = ApicurioRegistryServer.start(registrySettings);
            try {
                AttributionSettings settings = AttributionSettings.from(properties(broker, registry));
                AttributionPipeline.ensureTopics(settings, policy);
                long expectedCost = produce(broker, registry);

                registry.close();
                Configuration config = new Configuration();
                config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1_000);
                config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
                env.setParallelism(settings.parallelism());
                AttributionPipeline.attach(env, settings, policy, PriceCatalog.load(PRICES));
                JobClient job = env.executeAsync("attribution through a registry outage");

                AtomicBoolean restarted = new AtomicBoolean();
                await("the job fails on the outage and restarts").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .until(() -> restarted.get() || restarted.compareAndSet(false, job.getJobStatus().get() == JobStatus.RESTARTING));
                assertThat(readCommitted(broker, Topics.ATTRIBUTION_DLQ.name())).as("dead letters during the outage").isEmpty();

                registry = ApicurioRegistryServer.start(registrySettings);
                job.getJobExecutionResult().get();

                assertThat(readCommitted(broker, Topics.ATTRIBUTION_DLQ.name())).as("dead letters").isEmpty();
                assertThat(readCommitted(broker, Topics.UNMATCHED.name())).as("unmatched spans").isEmpty();
                var stats = AvroSerdes.forRegistry(registry.url()).avro(CostQualityStats.class, false).deserializer();
                List<CostQualityStats> windows = readCommitted(broker, Topics.STATS.name()).stream()
                        .map(r -> stats.deserialize(r.topic(), r.value()))
                        .filter(s -> s.getScope().equals("role=worker") && s.getWindowStart().equals(T)).toList();
                assertThat(windows).as("the role=worker window at T, emitted once").hasSize(1);
                assertThat(windows.get(0).getCount()).isEqualTo(SPANS);
                assertThat(windows.get(0).getCostMicros()).isEqualTo(expectedCost);
            } finally {
                registry.close();
            }
        }
    }

    /** Routed tasks on the current schema, spans on a newer one; returns their spend, added up here. */
    private static long produce(KRaftBroker broker, ApicurioRegistryServer registry) throws Exception {
        var routedSerializer = AvroSerdes.forRegistry(registry.url()).avro(RoutedTask.class, false).serializer();
        EvolvedSchemaWriter<ResultSpan> newerSpans = EvolvedSchemaWriter.register(registry.ccompatUrl(),
                Topics.results("small").name() + "-value", ResultSpan.getClassSchema(), ResultSpan.class);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        long cost = 0;
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < SPANS; i++) {
                String id = "outage-" + i;
                Instant routedAt = T.plusSeconds(1 + i);
                RoutedTask routed = routed(task(id).role("worker").type("extract").tenant("acme").build())
                        .tier("small", "claude-haiku-4-5").at(routedAt).build();
                String routedTopic = Topics.routedTasks("small").name();
                producer.send(new ProducerRecord<>(routedTopic, null, routedAt.toEpochMilli(), bytes(id),
                        routedSerializer.serialize(routedTopic, routed))).get();
                long spanCost = 1_000 + 100L * i;
                cost += spanCost;
                Instant endedAt = routedAt.plusSeconds(2);
                ResultSpan span = span(id).of("worker", "extract", "acme").tier("small", "claude-haiku-4-5")
                        .tokens(1_000, 200).cost(spanCost).endedAt(endedAt).build();
                producer.send(new ProducerRecord<>(Topics.results("small").name(), null, endedAt.toEpochMilli(), bytes(id),
                        newerSpans.frame(span))).get();
            }
        }
        // 12 spans of 1,000 + 100 × i µ$: 12 × 1,000 + 100 × (0 + 1 + … + 11) = 12,000 + 6,600
        assertThat(cost).isEqualTo(18_600);
        return cost;
    }

    private Properties properties(KRaftBroker broker, ApicurioRegistryServer registry) {
        Properties all = AttributionSettings.defaults();
        all.setProperty("bootstrap.servers", broker.bootstrapServers());
        all.setProperty("apicurio.registry.url", registry.url());
        all.setProperty(AttributionSettings.POLICY_FILE, POLICY.toString());
        all.setProperty(AttributionSettings.PRICES_FILE, PRICES.toString());
        all.setProperty(AttributionSettings.GROUP_ID, "attribution-outage");
        all.setProperty(AttributionSettings.TRANSACTIONAL_ID_PREFIX, "attribution-outage");
        all.setProperty(AttributionSettings.BOUNDED, "true");
        all.setProperty(AttributionSettings.OTLP_ENABLED, "false");
        all.setProperty(AttributionSettings.WINDOW_SIZE, "60 s");
        all.setProperty(AttributionSettings.WINDOW_SLIDE, "20 s");
        all.setProperty(AttributionSettings.ALLOWED_LATENESS, "0 s");
        all.setProperty(AttributionSettings.OUT_OF_ORDERNESS, "1 s");
        all.setProperty(AttributionSettings.JOIN_BOUND, "5 min");
        all.setProperty(AttributionSettings.STUCK_AFTER, "2 min");
        all.setProperty(AttributionSettings.EVENT_TIME_MAX_PAST, "0 s");
        all.setProperty(AttributionSettings.CHECKPOINT_INTERVAL, "200 ms");
        all.setProperty(AttributionSettings.TRANSACTION_TIMEOUT, "2 min");
        all.setProperty(AttributionSettings.PARALLELISM, "2");
        all.setProperty(AttributionSettings.TOPIC_PARTITIONS, "2");
        return all;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(KRaftBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await("committed records of " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }
}
