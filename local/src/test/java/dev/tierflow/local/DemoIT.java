package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.local.dashboard.Snapshot;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tierflow demo --duration} on the embedded stack: tasks flow, spend is attributed per role, the
 * scripted drop of the small tier's quality for role worker produces alert, policy change and recovery,
 * and the summary's spend is the stats topic's, to the micro-dollar.
 */
class DemoIT {

    @Test
    void theDemoShowsTheLoopActAndItsSummaryMatchesTheStats(@TempDir Path data) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoCommand demo = new DemoCommand(new PrintStream(printed, true, StandardCharsets.UTF_8));
        AtomicReference<Snapshot> summarized = new AtomicReference<>();
        AtomicReference<Long> spendOnTheTopic = new AtomicReference<>();
        demo.beforeStop = (stack, snapshot) -> {
            summarized.set(snapshot);
            spendOnTheTopic.set(tenantSpend(stack.bootstrapServers(), stack.registryUrl(), snapshot.spend().windowSizeMs()));
        };
        int kafka = FreePorts.pair();
        int registry = FreePorts.pair();
        int exit = new CommandLine(demo).execute("--policy", "../examples/demo-policy.yaml", "--prices", "../examples/prices.yaml",
                "--duration", "PT150S", "--event-at", "PT60S", "--rate", "1", "--tick", "PT5S",
                "--kafka-port", Integer.toString(kafka), "--registry-port", Integer.toString(registry),
                "--dashboard-port", "0", "--metrics-port", "-1", "--data-dir", data.toString());

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        Snapshot last = summarized.get();
        // tasks flowed and their spend is attributed per role
        assertThat(last.spend().roles()).extracting(Snapshot.RoleSpend::role).contains("planner", "worker", "critic");
        // the scripted event: alert, policy change, recovery
        assertThat(output).contains("scripted event: the small tier's quality drops by 0.50 for role worker");
        assertThat(last.alerts()).anySatisfy(alert -> {
            assertThat(alert.kind()).isEqualTo("QUALITY_FLOOR");
            assertThat(alert.state()).isEqualTo("FIRING");
            assertThat(alert.scope()).isEqualTo("role=worker");
            assertThat(alert.actionTaken()).startsWith("promoted role=worker from small to mid");
        });
        assertThat(last.alerts()).anySatisfy(alert -> {
            assertThat(alert.kind()).isEqualTo("QUALITY_FLOOR");
            assertThat(alert.state()).isEqualTo("RESOLVED");
            assertThat(alert.scope()).isEqualTo("role=worker");
        });
        assertThat(last.policy().rules()).anySatisfy(rule -> {
            assertThat(rule.scope()).isEqualTo("role=worker");
            assertThat(rule.tier()).isEqualTo("mid");
            assertThat(rule.source()).isEqualTo("ALERT");
        });
        // the summary's figures are the stats topic's
        assertThat(last.savings().spentMicros()).isPositive().isEqualTo(spendOnTheTopic.get());
        assertThat(last.savings().frontierMicros()).isGreaterThan(last.savings().spentMicros());
        assertThat(output).contains("TierFlow demo summary")
                .contains(String.format(java.util.Locale.ROOT, "(%,d µ$", last.savings().spentMicros()))
                .contains("role=worker -> mid (ALERT");
    }

    /** Spend over the tenant scopes' windows that tile time, read from the committed stats: what the summary must say. */
    private static long tenantSpend(String bootstrap, String registryUrl, long windowSizeMs) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("group.id", "demo-it-check");
        config.put("auto.offset.reset", "earliest");
        config.put("isolation.level", "read_committed");
        var avro = AvroSerdes.forRegistry(registryUrl).deserializer(CostQualityStats.class);
        Map<String, Long> latestPerWindow = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.STATS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await("stats read to the end").atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    CostQualityStats stats = avro.deserialize(record.topic(), record.value());
                    long start = stats.getWindowStart().toEpochMilli();
                    if (stats.getScope().startsWith("tenant=") && start % windowSizeMs == 0) {
                        // a window that fired again replaces its earlier total
                        latestPerWindow.put(stats.getScope() + "@" + start, stats.getCostMicros());
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return latestPerWindow.values().stream().mapToLong(Long::longValue).sum();
    }
}
