package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.InMemoryRegistry;
import dev.tierflow.testing.PolicyRuleBuilder;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The reports' decoder tells a registry outage from a bad record: an outage throws (the reader reads the record
 * again later) and hands nothing on, above all no tombstone for a policy record; a bad record is counted.
 */
class TopicRecordsTest {

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final List<String> events = new ArrayList<>();
    private final TopicRecords.Listener listener = new TopicRecords.Listener() {
        @Override
        public void onPolicy(String scope, PolicyRule rule) {
            events.add("policy " + scope + " -> " + (rule == null ? "tombstone" : rule.getTier()));
        }

        @Override
        public void onUndecodable() {
            events.add("undecodable");
        }
    };

    @Test
    void aPolicyRecordReadWhileTheRegistryIsDownIsNeitherATombstoneNorUndecodable() {
        byte[] rule = AvroSerdes.withClient(registry).valueSerde(Topics.POLICY).serializer()
                .serialize(Topics.POLICY.name(), PolicyRuleBuilder.override("role=planner").tier("mid").build());
        TopicRecords down = new TopicRecords(AvroSerdes.withClient(unreachable(registry)), listener);

        assertThatThrownBy(() -> down.dispatch(policyRecord(7, "role=planner", rule)))
                .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                    assertThat(e.topic()).isEqualTo("policy");
                    assertThat(e.offset()).isEqualTo(7);
                });
        assertThat(events).isEmpty();

        // once the registry is back, the same record reads as the rule it is
        new TopicRecords(AvroSerdes.withClient(registry), listener).dispatch(policyRecord(7, "role=planner", rule));
        assertThat(events).containsExactly("policy role=planner -> mid");
    }

    @Test
    void aRecordWithAnUnknownSchemaIdIsUndecodableNotAnOutage() {
        byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2, 'x'};

        new TopicRecords(AvroSerdes.withClient(registry), listener).dispatch(policyRecord(3, "role=planner", unknownId));

        assertThat(events).containsExactly("undecodable");
    }

    @Test
    void aNullValueIsATombstoneEvenWhileTheRegistryIsDown() {
        new TopicRecords(AvroSerdes.withClient(unreachable(registry)), listener).dispatch(policyRecord(4, "role=planner", null));

        assertThat(events).containsExactly("policy role=planner -> tombstone");
    }

    private static ConsumerRecord<byte[], byte[]> policyRecord(long offset, String scope, byte[] value) {
        return new ConsumerRecord<>(Topics.POLICY.name(), 0, offset, scope.getBytes(StandardCharsets.UTF_8), value);
    }

    /** The same registry behind a refused connection: every call fails as the HTTP client would. */
    private static RegistryClientFacade unreachable(RegistryClientFacade registry) {
        return (RegistryClientFacade) Proxy.newProxyInstance(TopicRecordsTest.class.getClassLoader(), new Class<?>[] {RegistryClientFacade.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        try {
                            return method.invoke(registry, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                    throw new UncheckedIOException(new ConnectException("Connection refused"));
                });
    }
}
