package dev.tierflow.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.PolicyRuleBuilder;
import dev.tierflow.testing.TaskBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.streams.TestOutputTopic;

/** Whatever arrives, every record ends up in exactly one place, and the app never stops. */
class RoutingProperties {

    private static final List<String> TIERS = List.of("small", "mid", "frontier");
    private RouterHarness router;

    @BeforeProperty
    void startRouter() {
        router = new RouterHarness();
    }

    @AfterProperty
    void stopRouter() {
        router.close();
    }

    @Property(tries = 400)
    void anyValidTaskLandsInExactlyOneTierTopicTheTopicOfItsTier(@ForAll("overrides") List<PolicyRule> overrides,
                                                                 @ForAll("validTasks") AgentTask task) {
        overrides.forEach(router::publish);

        router.tasks.pipeInput(task.getTaskId(), task);

        List<String> landedOn = new ArrayList<>();
        for (Map.Entry<String, TestOutputTopic<String, RoutedTask>> topic : router.tierTopics.entrySet()) {
            for (RoutedTask routed : topic.getValue().readValuesToList()) {
                landedOn.add(topic.getKey());
                assertThat(routed.getTier()).isEqualTo(topic.getKey());
                assertThat(routed.getTask()).isEqualTo(task);
                assertThat(routed.getMaxOutputTokens()).isPositive();
            }
        }
        assertThat(landedOn).hasSize(1);
        assertThat(router.drainDeadLetters()).isEmpty();
    }

    @Property(tries = 400)
    void anyByteArrayIsEitherRoutedOrDeadLetteredNeverLost(@ForAll("recordValues") byte[] value) {
        router.rawTasks.pipeInput(null, value);

        int routed = router.drainTiers().size();
        int deadLettered = router.drainDeadLetters().size();
        assertThat(routed + deadLettered).isEqualTo(1);
    }

    @Provide
    Arbitrary<AgentTask> validTasks() {
        Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> tenants = Arbitraries.oneOf(Arbitraries.of("acme", "acme-health", "globex"), ids);
        Arbitrary<String> roles = Arbitraries.oneOf(Arbitraries.of("planner", "worker", "file-ops", "researcher", "critic"), ids);
        Arbitrary<String> types = Arbitraries.oneOf(Arbitraries.of("plan", "extract", "classify", "synthesize", "read"), ids);
        Arbitrary<Integer> inputTokens = Arbitraries.integers().between(0, 200_000);
        Arbitrary<Integer> requested = Arbitraries.integers().between(1, 20_000).injectNull(0.5);
        Arbitrary<String> hints = Arbitraries.of("needs-reasoning", "mechanical", "other").injectNull(0.6);
        Arbitrary<Integer> escalatedTier = Arbitraries.integers().between(-1, TIERS.size() - 1);
        Arbitrary<Integer> attempts = Arbitraries.integers().between(1, 2);
        return Combinators.combine(ids, tenants, roles, types, inputTokens, requested, hints, escalatedTier)
                .flatAs((id, tenant, role, type, size, budget, hint, from) -> attempts.map(attempt -> {
                    TaskBuilder task = TaskBuilder.task(id).tenant(tenant).role(role).type(type).inputTokens(size)
                            .requestedMaxOutputTokens(budget);
                    if (hint != null) {
                        task.attribute("tierflow.hint", hint);
                    }
                    if (from >= 0) {
                        task.escalatedFrom(TIERS.get(from), attempt);
                    }
                    return task.build();
                }));
    }

    @Provide
    Arbitrary<List<PolicyRule>> overrides() {
        Arbitrary<String> scopes = Arbitraries.of("role=worker", "role=planner", "type=extract", "tenant=acme",
                "role=worker/type=extract", "tenant=acme-health/role=worker");
        Arbitrary<PolicyRule> rules = Combinators.combine(scopes, Arbitraries.of("small", "mid", "frontier", "unknown-tier"),
                        Arbitraries.integers().between(-5, 5000).injectNull(0.5))
                .as((scope, tier, budget) -> PolicyRuleBuilder.override(scope).tier(tier).maxOutputTokens(budget).build());
        return rules.list().ofMaxSize(2);
    }

    /** Random bytes, and valid task records with some bytes flipped or cut off. */
    @Provide
    Arbitrary<byte[]> recordValues() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> valid = validTasks().map(this::encode);
        Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 400), Arbitraries.bytes())
                .as((bytes, position, replacement) -> {
                    byte[] copy = bytes.clone();
                    copy[position % copy.length] = replacement;
                    return copy;
                });
        Arbitrary<byte[]> truncated = Combinators.combine(valid, Arbitraries.integers().between(0, 400))
                .as((bytes, length) -> java.util.Arrays.copyOf(bytes, length % bytes.length));
        return Arbitraries.oneOf(random, valid, mutated, truncated);
    }

    private byte[] encode(AgentTask task) {
        return router.serdes.valueSerde(Topics.TASKS).serializer().serialize(Topics.TASKS.name(), task);
    }
}
