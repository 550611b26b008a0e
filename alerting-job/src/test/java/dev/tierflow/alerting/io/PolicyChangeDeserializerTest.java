package dev.tierflow.alerting.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.PolicyRuleBuilder;
import dev.tierflow.testing.RegistryOutage;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job reads the policy topic with the router's validation, and an outage fails the read instead of skipping it. */
class PolicyChangeDeserializerTest {

    private static final Path POLICY = Path.of("../examples/policy.yaml");
    private static final PriceCatalog PRICES = PriceCatalog.load(Path.of("../examples/prices.yaml"));

    private final RegistryOutage registry = RegistryOutage.switchable();
    private final AvroSerdes serdes = AvroSerdes.withClient(registry);
    private final List<PolicyChange> out = new ArrayList<>();
    private final Collector<PolicyChange> collector = new Collector<>() {
        @Override
        public void collect(PolicyChange change) {
            out.add(change);
        }

        @Override
        public void close() {
        }
    };
    private PolicyChangeDeserializer deserializer;

    @BeforeEach
    void open() throws IOException {
        deserializer = new PolicyChangeDeserializer(Map.of(), Files.readString(POLICY), POLICY.toString(), PRICES) {
            @Override
            protected AvroKafkaDeserializer<PolicyRule> createDeserializer() {
                return serdes.deserializer(PolicyRule.class);
            }
        };
        deserializer.open(null);
    }

    private ConsumerRecord<byte[], byte[]> record(String key, PolicyRule rule) {
        byte[] value = rule == null ? null : serdes.valueSerde(Topics.POLICY).serializer().serialize(Topics.POLICY.name(), rule);
        return new ConsumerRecord<>(Topics.POLICY.name(), 0, 42, key.getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void aRuleTheRouterAcceptsIsSetUnderItsCanonicalScope() throws IOException {
        deserializer.deserialize(record("role=worker/type=extract",
                PolicyRuleBuilder.override("type=extract/role=worker").tier("frontier").version(3).build()), collector);

        assertThat(out).singleElement().satisfies(change -> {
            assertThat(change.isRemoval()).isFalse();
            assertThat(change.scope).isEqualTo("role=worker/type=extract");
            assertThat(change.rule.getTier()).isEqualTo("frontier");
        });
    }

    @Test
    void aRuleTheRouterRejectsLeavesTheScopeWithoutOverride() throws IOException {
        deserializer.deserialize(record("role=worker", PolicyRuleBuilder.override("role=worker").tier("huge").build()), collector);
        deserializer.deserialize(record("role=planner",
                PolicyRuleBuilder.override("role=planner").tier("mid").model("model-without-a-price").build()), collector);
        deserializer.deserialize(record("role=critic*", PolicyRuleBuilder.override("role=critic*").tier("mid").build()), collector);

        assertThat(out).extracting(change -> change.scope, PolicyChange::isRemoval).containsExactly(
                org.assertj.core.groups.Tuple.tuple("role=worker", true),
                org.assertj.core.groups.Tuple.tuple("role=planner", true),
                org.assertj.core.groups.Tuple.tuple("role=critic*", true));
    }

    @Test
    void aTombstoneRemovesTheScope() throws IOException {
        deserializer.deserialize(record("role=worker", null), collector);

        assertThat(out).singleElement().satisfies(change -> assertThat(change.isRemoval()).isTrue());
    }

    @Test
    void anUnreachableRegistryFailsTheReadAndTheSameRecordIsReadOnceItAnswers() throws IOException {
        ConsumerRecord<byte[], byte[]> freeze = record("role=worker", PolicyRuleBuilder.override("role=worker").tier("small").build());
        registry.begin();

        assertThatThrownBy(() -> deserializer.deserialize(freeze, collector))
                .isInstanceOf(IOException.class).hasMessageContaining("schema registry unreachable");
        assertThat(out).as("neither skipped nor taken for a removal").isEmpty();

        registry.end();
        deserializer.deserialize(freeze, collector);
        assertThat(out).singleElement().satisfies(change -> {
            assertThat(change.isRemoval()).isFalse();
            assertThat(change.rule.getTier()).isEqualTo("small");
        });
    }
}
