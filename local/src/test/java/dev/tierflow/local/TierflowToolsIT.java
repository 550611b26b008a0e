package dev.tierflow.local;

import static dev.tierflow.local.dashboard.DashboardRecords.alert;
import static dev.tierflow.local.dashboard.DashboardRecords.window;
import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tools on the real broker and registry: {@code produce} puts a JSONL file's tasks on {@code tasks} as
 * agents would (read back with the registry deserializer), {@code status} shows the topics, a group's lag,
 * a firing alert and a live override, and {@code policy show} shows that override winning over the file's rule.
 */
@ExtendWith(TierFlowInfraExtension.class)
class TierflowToolsIT {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String POLICY_FILE = "../examples/policy.yaml";
    private static final String ALERT_ID = "QUALITY_FLOOR role=worker";
    private static final String OVERRIDE_REASON = "quality floor breached: promoted worker to frontier";

    private static final String TASKS_JSONL = """
            {"taskId":"it-1","runId":"run-1","tenant":"acme","role":"worker","taskType":"extract","inputText":"Extract the number.",\
            "inputTokens":120,"requestedMaxOutputTokens":300,"outputContract":{"requiredFields":["number"],"maxLength":200},\
            "createdAt":"2026-11-23T11:00:00Z","attributes":{"tierflow.hint":"mechanical"}}

            {"taskId":"it-2","runId":"run-1","parentTaskId":"it-1","tenant":"acme","role":"critic","taskType":"review","createdAt":1795431600000}
            {"taskId":"it-3","runId":"run-1","tenant":"globex","role":"worker","taskType":"extract","attempt":1,"escalatedFromTier":"small"}
            """;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    @Test
    void produceThenStatusThenPolicyShow(TierFlowInfra infra, @TempDir Path dir) throws Exception {
        infra.createTopics(3, Topics.TASKS.name(), Topics.STATS.name(), Topics.ALERTS.name(), Topics.POLICY.name());
        Path file = Files.writeString(dir.resolve("tasks.jsonl"), TASKS_JSONL);

        assertThat(run(infra, "produce", "--policy", POLICY_FILE, file.toString())).as(err.toString()).isZero();
        assertThat(output()).contains("produced 3 task(s) to 'tasks'");

        assertThat(readTasks(infra, 3)).containsExactlyInAnyOrderEntriesOf(expectedTasks());

        writeStatsAlertAndOverride(infra);
        assertThat(run(infra, "status")).as(err.toString()).isZero();
        assertThat(output())
                .containsPattern("tasks\\s+3\\s+3\\R")
                .containsPattern("alerts\\s+3\\s+1\\R")
                .containsPattern("otlp_spans\\s+missing\\s+-")
                .containsPattern("tools-it-reader\\s+\\S+\\s+\\d+\\s+0\\R")
                .containsPattern("registry\\s+\\S+\\s+\\d+ artifact\\(s\\)")
                .containsPattern("role=worker\\s+2026-11-23T11:05:00Z\\s+10\\s+0.1800")
                .containsPattern(java.util.regex.Pattern.quote(ALERT_ID) + "\\s+QUALITY_FLOOR\\s+role=worker")
                .containsPattern("role=worker\\s+frontier\\s+-\\s+-\\s+ALERT\\s+4\\s+2026-11-23T14:00:00Z\\s+" + java.util.regex.Pattern.quote(ALERT_ID));

        assertThat(run(infra, "policy", "show", "--prices", "../examples/prices.yaml", POLICY_FILE)).as(err.toString()).isZero();
        assertThat(output())
                .contains("with 1 live override(s)")
                .containsPattern("Scope role=worker\\R.*\\R"
                        + "\\s+LIVE_OVERRIDE\\s+role=worker\\s+ALERT\\s+frontier\\s+-\\s+v4\\s+2026-11-23T14:00:00Z\\s+.*WINS\\R"
                        + "\\s+STATIC_RULE\\s+role=worker\\s+FILE\\s+mid\\s+claude-sonnet-4-5\\s+\\S+\\s+-\\s+-\\s+roles: worker\\R");
    }

    private int run(TierFlowInfra infra, String... args) {
        out.reset();
        CommandLine command = TierflowCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Clock.fixed(NOW, ZoneOffset.UTC));
        command.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", infra.bootstrapServers(), "--registry-url", infra.registryUrl()));
        return command.execute(all.toArray(String[]::new));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, AgentTask> expectedTasks() {
        Map<String, AgentTask> tasks = new LinkedHashMap<>();
        tasks.put("it-1", AgentTask.newBuilder().setTaskId("it-1").setRunId("run-1").setTenant("acme").setRole("worker").setTaskType("extract")
                .setInputText("Extract the number.").setInputTokens(120).setRequestedMaxOutputTokens(300)
                .setOutputContract(OutputContract.newBuilder().setRequiredFields(List.of("number")).setMaxLength(200).build())
                .setCreatedAt(Instant.parse("2026-11-23T11:00:00Z")).setAttributes(Map.of("tierflow.hint", "mechanical")).build());
        tasks.put("it-2", AgentTask.newBuilder().setTaskId("it-2").setRunId("run-1").setParentTaskId("it-1").setTenant("acme").setRole("critic")
                .setTaskType("review").setCreatedAt(Instant.ofEpochMilli(1795431600000L)).build());
        tasks.put("it-3", AgentTask.newBuilder().setTaskId("it-3").setRunId("run-1").setTenant("globex").setRole("worker").setTaskType("extract")
                .setAttempt(1).setEscalatedFromTier("small").setCreatedAt(NOW).build());
        return tasks;
    }

    /** Reads {@code tasks} with the registry deserializer in group tools-it-reader, committing, so status shows the group. */
    private static Map<String, AgentTask> readTasks(TierFlowInfra infra, int expected) {
        Map<String, AgentTask> read = new LinkedHashMap<>();
        try (KafkaConsumer<String, AgentTask> consumer = new KafkaConsumer<>(infra.consumerProps("tools-it-reader", false),
                new StringDeserializer(), infra.avroSerdes().valueSerde(Topics.TASKS).deserializer())) {
            consumer.subscribe(List.of(Topics.TASKS.name()));
            Awaitility.await("the produced tasks on '" + Topics.TASKS.name() + "'").atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, AgentTask> record : consumer.poll(Duration.ofMillis(200))) {
                    read.put(record.key(), record.value());
                }
                return read.size() >= expected;
            });
            consumer.commitSync();
        }
        return read;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void writeStatsAlertAndOverride(TierFlowInfra infra) {
        Serializer values = infra.avroSerdes().avro(SpecificRecord.class, false).serializer();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(infra.producerProps(), new StringSerializer(),
                (Serializer<SpecificRecord>) values)) {
            Instant windowStart = Instant.parse("2026-11-23T11:00:00Z");
            producer.send(new ProducerRecord<>(Topics.STATS.name(), "role=worker", window("role=worker", windowStart.minusSeconds(30), 90_000, 400_000).build()));
            producer.send(new ProducerRecord<>(Topics.STATS.name(), "role=worker", window("role=worker", windowStart, 180_000, 900_000)
                    .setQualityMean(0.62).setQualitySamples(40).build()));
            producer.send(new ProducerRecord<>(Topics.ALERTS.name(), ALERT_ID,
                    alert(ALERT_ID, AlertState.FIRING, "role=worker", "quality 0.62 below floor 0.70", windowStart.plusSeconds(300))));
            producer.send(new ProducerRecord<>(Topics.POLICY.name(), "role=worker", override("role=worker").tier("frontier").version(4)
                    .source(PolicySource.ALERT, OVERRIDE_REASON).expiresAt(NOW.plus(Duration.ofHours(2))).causedBy(ALERT_ID).build()));
            producer.flush();
        }
    }
}
