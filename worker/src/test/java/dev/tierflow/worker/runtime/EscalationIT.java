package dev.tierflow.worker.runtime;

import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterConfigLoader;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.worker.simulator.ComplianceCurve;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import dev.tierflow.worker.simulator.SimulatorProfile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the real broker, registry and router: a task whose output fails its contract on
 * {@code small} is escalated by its worker, re-routed by the router to {@code mid}, and passes there.
 */
@ExtendWith(TierFlowInfraExtension.class)
class EscalationIT {

    @TempDir
    Path stateDir;

    @Test
    void failedCheckOnSmallIsReroutedToMidAndPassesWithBothCostsAttributed(TierFlowInfra infra) throws Exception {
        String run = "esc" + System.nanoTime();
        infra.createTopics(3, Topics.results("small").name(), Topics.results("mid").name(), Topics.results("frontier").name());
        Properties routerConfig = RouterConfigLoader.defaults();
        routerConfig.setProperty("bootstrap.servers", infra.bootstrapServers());
        routerConfig.setProperty(AvroSerdes.REGISTRY_URL, infra.registryUrl());
        routerConfig.setProperty("application.id", "router-" + run);
        // a router that checks live overrides against the workers' prices needs the catalog (ignored by one that does not)
        routerConfig.setProperty("tierflow.router.prices.file", "../examples/prices.yaml");
        routerConfig.setProperty("state.dir", stateDir.toString());
        routerConfig.setProperty(RouterSettings.POLICY_FILE, "../examples/policy.yaml");
        routerConfig.setProperty(RouterSettings.METRICS_PORT, "-1");
        routerConfig.setProperty(RouterSettings.TOPIC_PARTITIONS, "3");

        // The small tier is useless for file-ops for now: whatever it answers fails the contract. Any answer
        // of decent quality complies, so the outcome does not hang on the random draw of this run's task id.
        ComplianceCurve sharp = new ComplianceCurve(List.of(new ComplianceCurve.Point(0.0, 0.0), new ComplianceCurve.Point(0.3, 0.0),
                new ComplianceCurve.Point(0.31, 1.0), new ComplianceCurve.Point(1.0, 1.0)));
        SimulatedModelBackend models = new SimulatedModelBackend(SimulatorProfile.defaults().withSeed(7).withCompliance(sharp));
        models.degrade("small", "file-ops", 1.0);
        PriceCatalog prices = PriceCatalog.load(Path.of("../examples/prices.yaml"));
        OutputChecker checker = new OutputChecker();
        Properties clients = new Properties();
        clients.put("bootstrap.servers", infra.bootstrapServers());

        String taskId = run + "-rename";
        AgentTask sent = task(taskId).role("file-ops").type("format")
                .contract(new OutputContract(null, List.of("path", "newName"), null, 2_000, null)).build();
        try (RouterApp router = RouterApp.start(RouterSettings.from(routerConfig));
             TierWorker small = new TierWorker("small", new AttemptRunner(models, prices, checker, Clock.systemUTC(), false),
                     infra.avroSerdes(), clients, "workers-small-" + run, "worker-small-" + run, 4);
             TierWorker mid = new TierWorker("mid", new AttemptRunner(models, prices, checker, Clock.systemUTC(), false),
                     infra.avroSerdes(), clients, "workers-mid-" + run, "worker-mid-" + run, 4);
             KafkaProducer<String, AgentTask> agents = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                     infra.avroSerdes().valueSerde(Topics.TASKS).serializer())) {
            Thread smallThread = new Thread(small, "worker-small");
            Thread midThread = new Thread(mid, "worker-mid");
            smallThread.start();
            midThread.start();
            assertThat(router.awaitRunning(Duration.ofSeconds(60))).isTrue();

            agents.send(new ProducerRecord<>(Topics.TASKS.name(), taskId, sent)).get();

            List<ResultSpan> smallSpans = spansOf(infra, "small", taskId, 1);
            List<ResultSpan> midSpans = spansOf(infra, "mid", taskId, 1);

            ResultSpan failed = smallSpans.get(0);
            assertThat(failed.getAttempt()).isZero();
            assertThat(failed.getStatus()).isEqualTo(SpanStatus.CHECK_FAILED);
            assertThat(failed.getEscalated()).isTrue();
            assertThat(failed.getModel()).isEqualTo("claude-haiku-4-5");
            assertThat(failed.getCostMicros()).isPositive();
            // examples/prices.yaml, claude-haiku-4-5: input 1.00, cachedInput 0.10, output 5.00 USD per million tokens,
            // i.e. 1, 0.1 and 5 micro-dollars per token; summed in tenths of a micro-dollar, rounded half-even once
            assertThat(failed.getCostMicros()).isEqualTo(halfEvenTenths(
                    (failed.getInputTokens() - failed.getCachedInputTokens()) * 10
                            + failed.getCachedInputTokens() * 1
                            + failed.getOutputTokens() * 50));

            ResultSpan passed = midSpans.get(0);
            assertThat(passed.getAttempt()).isEqualTo(1);
            assertThat(passed.getStatus()).isEqualTo(SpanStatus.OK);
            assertThat(passed.getCheckPassed()).isTrue();
            assertThat(passed.getModel()).isEqualTo("claude-sonnet-4-5");
            assertThat(passed.getCostMicros()).isPositive();
            // claude-sonnet-4-5: input 3.00, cachedInput 0.30, output 15.00 USD per million tokens (3, 0.3, 15 µ$ a token)
            assertThat(passed.getCostMicros()).isEqualTo(halfEvenTenths(
                    (passed.getInputTokens() - passed.getCachedInputTokens()) * 30
                            + passed.getCachedInputTokens() * 3
                            + passed.getOutputTokens() * 150));
            assertThat(passed.getRunId()).isEqualTo(failed.getRunId());

            small.close();
            mid.close();
            smallThread.join(Duration.ofSeconds(30).toMillis());
            midThread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** Whole micro-dollars from tenths of one, rounded half to even (as the price catalog documents). */
    private static long halfEvenTenths(long tenths) {
        return BigDecimal.valueOf(tenths, 1).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Waits for {@code count} committed spans of the task on {@code results.<tier>}, and returns them. */
    private static List<ResultSpan> spansOf(TierFlowInfra infra, String tier, String taskId, int count) {
        Properties props = infra.consumerProps("spans-" + System.nanoTime(), true);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ResultSpan> spans = new ArrayList<>();
        String topic = Topics.results(tier).name();
        try (KafkaConsumer<String, ResultSpan> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                infra.avroSerdes().avro(ResultSpan.class, false).deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (taskId.equals(r.key())) {
                        spans.add(r.value());
                    }
                });
                return spans.size() >= count;
            });
        }
        return spans;
    }
}
