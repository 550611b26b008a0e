package dev.tierflow.local;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.alerting.app.AlertingSettings;
import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on real components: broker, registry, router, simulator workers for every tier, the
 * attribution and alerting jobs on a Flink MiniCluster, and a steady load of agent tasks. First the
 * small tier's quality drops for role {@code worker}: a quality alert fires, the policy promotes
 * {@code worker}, the router sends worker tasks to {@code mid}, quality recovers and the alert resolves.
 * Then {@code planner} gets expensive: a cost alert fires, the planner is demoted on probation, quality
 * holds, and the demotion is kept. Windows are short (10 s sliding by 2 s) so the story takes a minute
 * or two, not an hour.
 */
@ExtendWith(TierFlowInfraExtension.class)
class ClosedLoopIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** Example tiers and models; worker starts on small, planner on frontier. */
    private static final String POLICY = """
            version: "closed-loop-1"
            tiers:
              - {name: small, model: claude-haiku-4-5, provider: anthropic}
              - {name: mid, model: claude-sonnet-4-5, provider: anthropic}
              - {name: frontier, model: claude-opus-4-6, provider: anthropic}
            defaultTier: mid
            roles: {planner: frontier, worker: small}
            budgets: {default: 512, taskTypes: {plan: 4096, extract: 512}}
            alerting:
              qualityFloors:
                - {scope: "role=worker", floor: 0.70, minSamples: 10}
                - {scope: "role=planner", floor: 0.60, minSamples: 3}
              costCeilings:
                - {scope: "role=planner", usdPerHour: 500}
                - {scope: "role=worker", usdPerHour: 1000}
              hysteresis: 0.05
              headroom: 0.05
              cooldown: PT20S
              probation: PT20S
              maxChangesPerHour: 10
            """;

    private static final Duration STEP = Duration.ofSeconds(90);

    /** Windows of 10 s sliding by 2 s, and checkpoints every second, so the loop turns in seconds. */
    private static final Map<String, String> SHORT_WINDOWS = Map.of(
            AttributionSettings.WINDOW_SIZE, "10 s",
            AttributionSettings.WINDOW_SLIDE, "2 s",
            AttributionSettings.ALLOWED_LATENESS, "0 s",
            AttributionSettings.OUT_OF_ORDERNESS, "1 s",
            AttributionSettings.IDLENESS, "2 s",
            AttributionSettings.JOIN_BOUND, "1 min",
            AttributionSettings.STUCK_AFTER, "30 s",
            AttributionSettings.CHECKPOINT_INTERVAL, "1 s",
            AttributionSettings.TRANSACTION_TIMEOUT, "1 min");
    private static final Map<String, String> FAST_ALERTING = Map.of(
            AlertingSettings.OUT_OF_ORDERNESS, "2 s",
            AlertingSettings.IDLENESS, "5 s",
            AlertingSettings.CHECKPOINT_INTERVAL, "1 s",
            AlertingSettings.TRANSACTION_TIMEOUT, "1 min");

    @Test
    void qualityAndCostAlertsMoveThePolicyAndTheRouterFollows(TierFlowInfra infra, @TempDir Path dir) throws Exception {
        Path policyFile = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Path pricesFile = Path.of("../examples/prices.yaml").toAbsolutePath();
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        createTopics(infra, policy);

        List<AutoCloseable> running = new ArrayList<>();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try {
            Pipeline pipeline = Pipeline.start(new Pipeline.Options(infra.bootstrapServers(), infra.registryUrl(), policyFile, pricesFile,
                    dir, 1, -1, SHORT_WINDOWS, FAST_ALERTING));
            running.add(pipeline);
            SimulatedModelBackend small = pipeline.simulator("small");

            AvroSerdes serdes = infra.avroSerdes();
            TopicTail<Alert> alerts = tail(infra, Topics.ALERTS.name(), serdes, Alert.class);
            TopicTail<PolicyRule> rules = tail(infra, Topics.POLICY.name(), serdes, PolicyRule.class);
            TopicTail<RoutedTask> routedToMid = tail(infra, Topics.routedTasks("mid").name(), serdes, RoutedTask.class);
            running.add(alerts);
            running.add(rules);
            running.add(routedToMid);

            // 10 worker tasks a second, and a planner task every 3 s; later, 3 planner tasks a second
            AtomicLong plannerEveryMillis = new AtomicLong(3_000);
            AtomicInteger sequence = new AtomicInteger();
            KafkaProducer<String, AgentTask> producer = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                    serdes.avro(AgentTask.class, false).serializer());
            running.add(producer);
            AtomicLong lastPlanner = new AtomicLong();
            load.scheduleAtFixedRate(() -> {
                int n = sequence.incrementAndGet();
                send(producer, task("w-" + n).role("worker").type("extract").inputTokens(150).createdAt(Instant.now()).build());
                long now = System.currentTimeMillis();
                if (now - lastPlanner.get() >= plannerEveryMillis.get()) {
                    lastPlanner.set(now);
                    send(producer, task("p-" + n).role("planner").type("plan").inputTokens(2_000).createdAt(Instant.now()).build());
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            // a healthy start: worker quality is judged (enough samples) and nothing fires
            await("worker spans attributed").atMost(STEP).until(() -> spansOnSmall(infra) > 50);

            // 1. the small tier's quality drops for role worker (0.80 -> 0.35)
            small.degrade("small", "worker", 0.45);
            Alert qualityFiring = await("quality alert for role=worker").atMost(STEP).until(
                    () -> find(alerts, AlertKind.QUALITY_FLOOR, AlertState.FIRING, "role=worker"), a -> a != null);
            assertThat(qualityFiring.getActionTaken()).startsWith("promoted role=worker from small to mid");
            PolicyRule promotion = await("promotion of role=worker").atMost(STEP).until(
                    () -> rules.seen().stream().filter(r -> r != null && r.getScope().equals("role=worker")).findFirst().orElse(null), r -> r != null);
            assertThat(promotion.getTier()).isEqualTo("mid");
            assertThat(promotion.getSource()).isEqualTo(PolicySource.ALERT);
            assertThat(promotion.getCausedByAlertId()).isEqualTo(qualityFiring.getAlertId());
            await("router sends worker tasks to mid").atMost(STEP).until(() -> routedToMid.seen().stream()
                    .anyMatch(r -> r.getTask().getRole().equals("worker") && r.getRule() == RoutingRule.LIVE_OVERRIDE));
            Alert qualityResolved = await("quality of role=worker recovers").atMost(STEP).until(
                    () -> find(alerts, AlertKind.QUALITY_FLOOR, AlertState.RESOLVED, "role=worker"), a -> a != null);
            assertThat(qualityResolved.getAlertId()).isEqualTo(qualityFiring.getAlertId());

            // 2. the planner gets expensive: three plans a second on the frontier
            plannerEveryMillis.set(300);
            Alert costFiring = await("cost alert for role=planner").atMost(STEP).until(
                    () -> find(alerts, AlertKind.COST_CEILING, AlertState.FIRING, "role=planner"), a -> a != null);
            assertThat(costFiring.getActionTaken()).startsWith("demoted role=planner from frontier to mid on probation");
            Alert kept = await("demotion kept after probation").atMost(STEP).until(() -> alerts.seen().stream()
                    .filter(a -> a.getKind() == AlertKind.POLICY_ACTION && a.getMessage().startsWith("kept role=planner on mid"))
                    .findFirst().orElse(null), a -> a != null);
            assertThat(kept.getAt()).isAfter(costFiring.getAt());

            // the whole story, in order, and nothing else changed the policy
            List<String> ruleStory = rules.seen().stream()
                    .map(r -> r == null ? "tombstone" : r.getScope() + "->" + r.getTier() + " " + r.getSource() + " by " + r.getCausedByAlertId())
                    .toList();
            assertThat(ruleStory).containsExactly(
                    "role=worker->mid ALERT by " + qualityFiring.getAlertId(),
                    "role=planner->mid ALERT by " + costFiring.getAlertId());
            List<Alert> story = alerts.seen();
            assertThat(story.indexOf(qualityFiring)).isLessThan(story.indexOf(qualityResolved));
            assertThat(story.indexOf(qualityResolved)).isLessThan(story.indexOf(costFiring));
            assertThat(story.indexOf(costFiring)).isLessThan(story.indexOf(kept));
            assertThat(story).filteredOn(a -> a.getKind() == AlertKind.QUALITY_FLOOR && a.getScope().equals("role=worker"))
                    .extracting(Alert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            assertThat(story).filteredOn(a -> a.getKind() == AlertKind.COST_NOTICE).isNotEmpty();
        } finally {
            load.shutdownNow();
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }

    private static Alert find(TopicTail<Alert> alerts, AlertKind kind, AlertState state, String scope) {
        return alerts.seen().stream().filter(a -> a.getKind() == kind && a.getState() == state && a.getScope().equals(scope))
                .findFirst().orElse(null);
    }

    private static long spansOnSmall(TierFlowInfra infra) throws Exception {
        var offsets = infra.admin().listOffsets(java.util.Map.of(
                new org.apache.kafka.common.TopicPartition(Topics.results("small").name(), 0), org.apache.kafka.clients.admin.OffsetSpec.latest()))
                .all().get();
        return offsets.values().stream().mapToLong(o -> o.offset()).sum();
    }

    private static void send(KafkaProducer<String, AgentTask> producer, AgentTask task) {
        producer.send(new ProducerRecord<>(Topics.TASKS.name(), task.getTaskId(), task));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> TopicTail<T> tail(TierFlowInfra infra, String topic, AvroSerdes serdes,
                                                                                       Class<T> type) {
        var deserializer = serdes.deserializer(type);
        return new TopicTail<>(infra.consumerProps("tail-" + topic + "-" + System.nanoTime(), true), topic,
                (ConsumerRecord<byte[], byte[]> record) -> record.value() == null ? null : deserializer.deserialize(topic, record.value()));
    }

    private static void createTopics(TierFlowInfra infra, RoutingPolicy policy) {
        List<String> names = new ArrayList<>(List.of(Topics.TASKS.name(), Topics.TASKS_DLQ.name(), Topics.STATS.name(), Topics.ALERTS.name(),
                Topics.STUCK.name(), Topics.UNMATCHED.name(), Topics.LATE.name(), Topics.ATTRIBUTION_DLQ.name()));
        for (Tier tier : policy.tiers()) {
            names.add(Topics.routedTasks(tier.name()).name());
            names.add(Topics.results(tier.name()).name());
        }
        infra.createTopics(1, names.toArray(String[]::new));
    }

}
