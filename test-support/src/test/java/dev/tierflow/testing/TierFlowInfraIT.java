package dev.tierflow.testing;

import static dev.tierflow.testing.TestTasks.task;
import static dev.tierflow.testing.TestTasks.withUnknownSchemaId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TierFlowInfraExtension.class)
class TierFlowInfraIT {

    static TierFlowInfra sharedInStaticField;
    TierFlowInfra infra;

    @Test
    void fieldsAndParametersGetTheOneSharedInstance(TierFlowInfra parameter) {
        assertThat(infra).isNotNull().isSameAs(parameter).isSameAs(sharedInStaticField);
    }

    @Test
    void anAgentTaskTravelsThroughTheRealBrokerAndRegistry() throws Exception {
        infra.createTopics(1, "infra-it.tasks");
        Serde<AgentTask> serde = AvroSerdes.forRegistry(infra.registryUrl()).avro(AgentTask.class, false);
        AgentTask sent = task("t-1");

        try (KafkaProducer<String, AgentTask> producer = new KafkaProducer<>(infra.producerProps(),
                AvroSerdes.keySerde().serializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>("infra-it.tasks", sent.getTaskId(), sent)).get();
        }

        List<ConsumerRecord<String, AgentTask>> received = new ArrayList<>();
        try (KafkaConsumer<String, AgentTask> consumer = new KafkaConsumer<>(infra.consumerProps("infra-it", true),
                AvroSerdes.keySerde().deserializer(), serde.deserializer())) {
            consumer.subscribe(List.of("infra-it.tasks"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("t-1");
            assertThat(r.value()).isEqualTo(sent);
        });
    }

    @Test
    void createTopicsIsIdempotentAndWaitsForLeaders() throws Exception {
        infra.createTopics(3, "infra-it.a", "infra-it.b");
        infra.createTopics(3, "infra-it.a");

        assertThat(infra.admin().describeTopics(Set.of("infra-it.a", "infra-it.b")).allTopicNames().get().values())
                .allSatisfy(d -> assertThat(d.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.leader()).isNotNull()));
    }

    @Test
    void theRealRegistryFailsUnknownIdsLikeTheInMemoryOne() {
        Serde<AgentTask> serde = infra.avroSerdes().avro(AgentTask.class, false);
        byte[] bytes = withUnknownSchemaId(serde.serializer().serialize("infra-it.unknown", task("t-1")), 999_999);

        assertThatThrownBy(() -> serde.deserializer().deserialize("infra-it.unknown", bytes))
                .satisfies(RegistryErrors::assertContentNotFound);
    }
}
