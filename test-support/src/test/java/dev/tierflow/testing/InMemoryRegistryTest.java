package dev.tierflow.testing;

import static dev.tierflow.testing.TestTasks.schemaId;
import static dev.tierflow.testing.TestTasks.task;
import static dev.tierflow.testing.TestTasks.withUnknownSchemaId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class InMemoryRegistryTest {

    private final InMemoryRegistry registry = new InMemoryRegistry();

    @Test
    void roundTripsAnAgentTaskInTheConfluentWireFormat() {
        Serde<AgentTask> serde = AvroSerdes.withClient(registry).avro(AgentTask.class, false);
        AgentTask task = task("t-1");

        byte[] bytes = serde.serializer().serialize("tasks", task);

        assertThat(bytes[0]).as("magic byte").isZero();
        assertThat(schemaId(bytes)).as("first content id").isEqualTo(1);
        assertThat(serde.deserializer().deserialize("tasks", bytes)).isEqualTo(task);
    }

    @Test
    void aFreshDeserializerLooksTheSchemaUpByContentId() {
        byte[] bytes = AvroSerdes.withClient(registry).avro(AgentTask.class, false).serializer().serialize("tasks", task("t-1"));

        AgentTask read = AvroSerdes.withClient(registry).avro(AgentTask.class, false).deserializer().deserialize("tasks", bytes);

        assertThat(read.getTaskId()).isEqualTo("t-1");
    }

    @Test
    void sameSchemaKeepsItsIdAndAnotherSchemaGetsTheNext() {
        AvroSerdes serdes = AvroSerdes.withClient(registry);
        byte[] first = serdes.avro(AgentTask.class, false).serializer().serialize("tasks", task("t-1"));
        byte[] again = AvroSerdes.withClient(registry).avro(AgentTask.class, false).serializer()
                .serialize("tasks", task("t-2"));
        RoutedTask routed = RoutedTask.newBuilder().setTask(task("t-3")).setTier("small").setModel("m").setProvider("p")
                .setMaxOutputTokens(100).setPolicyVersion("v1").setRule(RoutingRule.DEFAULT).setRuleDetail("default")
                .setRoutedAt(Instant.EPOCH).build();
        byte[] other = serdes.avro(RoutedTask.class, false).serializer().serialize("tasks.small", routed);

        assertThat(schemaId(again)).isEqualTo(schemaId(first));
        assertThat(schemaId(other)).isEqualTo(schemaId(first) + 1);
    }

    @Test
    void anUnknownIdFailsWithTheRegistryClientsNotFoundError() {
        Serde<AgentTask> serde = AvroSerdes.withClient(registry).avro(AgentTask.class, false);
        byte[] bytes = withUnknownSchemaId(serde.serializer().serialize("tasks", task("t-1")), 999);

        assertThatThrownBy(() -> serde.deserializer().deserialize("tasks", bytes))
                .satisfies(RegistryErrors::assertContentNotFound);
    }

    @Test
    void versionsAreFoundOrCreatedLikeTheServerDoes() {
        RegistryVersionCoordinates v1 = registry.createSchema("AVRO", "default", "x", null, "FIND_OR_CREATE_VERSION",
                false, "\"string\"", Set.of());
        RegistryVersionCoordinates same = registry.createSchema("AVRO", "default", "x", null, "FIND_OR_CREATE_VERSION",
                false, "\"string\"", Set.of());
        RegistryVersionCoordinates v2 = registry.createSchema("AVRO", "default", "x", null, "FIND_OR_CREATE_VERSION",
                false, "\"int\"", Set.of());

        assertThat(same.getGlobalId()).isEqualTo(v1.getGlobalId());
        assertThat(v2.getVersion()).isEqualTo("2");
        assertThat(v2.getGlobalId()).isEqualTo(v1.getGlobalId() + 1);
        assertThat(registry.getVersionCoordinatesByGAV("default", "x", "branch=latest").getGlobalId())
                .isEqualTo(v2.getGlobalId());
        assertThat(registry.getSchemaByGAV("default", "x", "1")).isEqualTo("\"string\"");
        assertThatThrownBy(() -> registry.createSchema("AVRO", "default", "x", null, "FAIL", false, "\"long\"", Set.of()))
                .isInstanceOfSatisfying(ProblemDetails.class, p -> assertThat(p.getResponseStatusCode()).isEqualTo(409));
        assertThatThrownBy(() -> registry.getSchemaByGlobalId(42, false))
                .isInstanceOfSatisfying(ProblemDetails.class, p -> {
                    assertThat(p.getResponseStatusCode()).isEqualTo(404);
                    assertThat(p.getName()).isEqualTo("VersionNotFoundException");
                });
    }
}
