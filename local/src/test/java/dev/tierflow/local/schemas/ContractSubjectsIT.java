package dev.tierflow.local.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.PolicyRuleBuilder;
import dev.tierflow.testing.RoutedTaskBuilder;
import dev.tierflow.testing.TaskBuilder;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On the real registry: every contract schema is registered under its Confluent subject through the
 * ccompat API, reads back from there as the contract, and has the very id the Apicurio serdes write
 * in front of a record of that topic, so Confluent clients and TierFlow's Java side agree on ids.
 */
@ExtendWith(TierFlowInfraExtension.class)
class ContractSubjectsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TIERS = List.of("small", "mid", "frontier");

    @Test
    void everySubjectReadsBackThroughCcompatWithTheIdTheSerdesWrite(TierFlowInfra infra) throws Exception {
        CcompatRegistrar registrar = new CcompatRegistrar(infra.registryUrl(), TIMEOUT);
        Map<String, Schema> subjects = ContractSubjects.forTiers(TIERS);

        Map<String, Long> ids = registrar.registerAll(subjects);

        assertThat(ids.keySet()).contains("tasks-value", "tasks.small-value", "tasks.mid-value", "tasks.frontier-value",
                "results.small-value", "results.frontier-value", "policy-value", "stats.role-value", "alerts-value",
                "attribution.stuck-value", "attribution.unmatched-value", "attribution.late-value");
        String ccompat = CcompatRegistrar.ccompatUrl(infra.registryUrl());
        List<String> listed = JSON.convertValue(JSON.readTree(get(ccompat + "/subjects")), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertThat(listed).containsAll(ids.keySet());
        for (Map.Entry<String, Long> subject : ids.entrySet()) {
            JsonNode latest = JSON.readTree(get(ccompat + "/subjects/" + subject.getKey() + "/versions/latest"));
            assertThat(latest.path("id").longValue()).as("id of %s", subject.getKey()).isEqualTo(subject.getValue());
            assertThat(new Schema.Parser().parse(latest.path("schema").asText())).as("schema of %s", subject.getKey())
                    .isEqualTo(subjects.get(subject.getKey()));
        }
        // the same content under two subjects is one content, one id
        assertThat(ids.get("tasks.small-value")).isEqualTo(ids.get("tasks.frontier-value"));

        // a second run (another `up`, `schemas register` on a cluster that has them) changes nothing
        assertThat(registrar.registerAll(subjects)).isEqualTo(ids);

        // what the Java serdes write after the magic byte is the id a Confluent client looks up
        AgentTask task = TaskBuilder.task("subjects-it-1").build();
        assertThat(writtenId(infra.avroSerdes().valueSerde(Topics.TASKS).serializer().serialize(Topics.TASKS.name(), task)))
                .isEqualTo(ids.get("tasks-value"));
        RoutedTask routed = RoutedTaskBuilder.routed(TaskBuilder.task("subjects-it-2").build()).build();
        assertThat(writtenId(infra.avroSerdes().valueSerde(Topics.routedTasks("mid")).serializer()
                .serialize(Topics.routedTasks("mid").name(), routed))).isEqualTo(ids.get("tasks.mid-value"));
        PolicyRule rule = PolicyRuleBuilder.override("role=planner").build();
        assertThat(writtenId(infra.avroSerdes().valueSerde(Topics.POLICY).serializer().serialize(Topics.POLICY.name(), rule)))
                .isEqualTo(ids.get("policy-value"));
        // and the serdes did not add a version with other content: the subject still has its one schema
        assertThat(JSON.readTree(get(ccompat + "/subjects/tasks-value/versions")).size()).isEqualTo(1);
    }

    /** The Confluent wire format: magic byte 0, then the 4-byte schema id. */
    private static long writtenId(byte[] record) {
        assertThat(record[0]).as("magic byte").isZero();
        return ByteBuffer.wrap(record, 1, 4).getInt();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return response.body();
    }
}
