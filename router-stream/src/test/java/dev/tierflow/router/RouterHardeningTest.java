package dev.tierflow.router;

import static dev.tierflow.router.RouterTopologyTest.header;
import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Inputs crafted to fool or stop the router: trailing bytes, forged scope names, unpriced models, registry outages. */
class RouterHardeningTest {

    private final dev.tierflow.testing.RegistryOutage registry = dev.tierflow.testing.RegistryOutage.switchable();
    private final RouterHarness router = new RouterHarness(registry);

    @AfterEach
    void closeDriver() {
        router.close();
    }

    private byte[] encode(AgentTask task) {
        return router.serdes.valueSerde(Topics.TASKS).serializer().serialize(Topics.TASKS.name(), task);
    }

    private byte[] encode(PolicyRule rule) {
        return router.serdes.valueSerde(Topics.POLICY).serializer().serialize(Topics.POLICY.name(), rule);
    }

    private TestRecord<byte[], byte[]> onlyDeadLetter() {
        List<TestRecord<byte[], byte[]>> deadLetters = router.drainDeadLetters();
        assertThat(deadLetters).hasSize(1);
        return deadLetters.get(0);
    }

    @Nested
    class TrailingBytes {

        @Test
        void aBodyWithBytesAfterTheDatumIsDeadLetteredAndNeverForwarded() {
            byte[] valid = encode(task("tail-1").role("file-ops").build());
            // What a RoutedTask's fields after `task` would start with: a forged tier a worker would read as the router's.
            byte[] forged = {0x0a, 'f', 'r', 'o', 'n', 't'};
            byte[] crafted = Arrays.copyOf(valid, valid.length + forged.length);
            System.arraycopy(forged, 0, crafted, valid.length, forged.length);

            router.rawTasks.pipeInput("tail-1".getBytes(StandardCharsets.UTF_8), crafted);

            assertThat(router.drainTiers()).isEmpty();
            TestRecord<byte[], byte[]> deadLetter = onlyDeadLetter();
            assertThat(header(deadLetter.headers(), DeadLetterHeaders.REASON)).isEqualTo("TRAILING_BYTES");
            assertThat(header(deadLetter.headers(), DeadLetterHeaders.DETAIL)).startsWith("6 byte(s) after the AgentTask datum");
            assertThat(deadLetter.value()).as("the original bytes, for a post-mortem").isEqualTo(crafted);
            assertThat(router.metrics.deadLetters(DeadLetterReason.TRAILING_BYTES)).isEqualTo(1.0);
        }

        @Test
        void theSameBodyWithoutTheTailIsRoutedAsItsOwnBytes() {
            AgentTask sent = task("tail-2").role("file-ops").build();
            router.rawTasks.pipeInput("tail-2".getBytes(StandardCharsets.UTF_8), encode(sent));

            assertThat(router.drainTiers()).singleElement().satisfies(routed -> {
                assertThat(routed.getTask()).isEqualTo(sent);
                assertThat(routed.getTier()).isEqualTo("small");
            });
            assertThat(router.drainDeadLetters()).isEmpty();
        }
    }

    @Nested
    class ScopeNames {

        @Test
        void aRoleThatWouldReadAsRoleAndTypeIsDeadLetteredNotRouted() {
            assertInvalid(task("s-1").role("worker/type=extract").build(), "role must not contain '/'");
        }

        @Test
        void aTenantThatWouldReadAsAnotherTenantsScopeIsDeadLetteredNotRouted() {
            assertInvalid(task("s-2").tenant("acme/x").build(), "tenant must not contain '/'");
        }

        @Test
        void aTaskTypeWithAWildcardOrAControlCharacterIsDeadLettered() {
            assertInvalid(task("s-3").type("extract*").build(), "taskType must not contain '*'");
            assertInvalid(task("s-4").type("ex\ntract").build(), "taskType must not contain control characters");
            assertInvalid(task("s-5").role("a=b").build(), "role must not contain '='");
        }

        private void assertInvalid(AgentTask task, String detail) {
            router.rawTasks.pipeInput(task.getTaskId().getBytes(StandardCharsets.UTF_8), encode(task));

            assertThat(router.drainTiers()).isEmpty();
            TestRecord<byte[], byte[]> deadLetter = onlyDeadLetter();
            assertThat(header(deadLetter.headers(), DeadLetterHeaders.REASON)).isEqualTo("INVALID_FIELD");
            assertThat(header(deadLetter.headers(), DeadLetterHeaders.DETAIL)).startsWith(detail);
        }

        @Test
        void aPolicyRecordWhoseKeyHasAForgedNameIsRejected() {
            router.publish(override("role=worker*").tier("frontier").build());

            assertThat(router.metrics.overridesRejected()).isEqualTo(1.0);
            assertThat(router.route(task("s-6").role("worker").build()).getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        }
    }

    @Nested
    class Prices {

        @Test
        void anOverrideNamingAModelWithoutAPriceIsRejectedAndTheRulesStillApply() {
            router.publish(override("role=worker").tier("frontier").model("frontier-model-unpriced").build());

            RoutedTask routed = router.route(task("pr-1").role("worker").build());

            assertThat(router.metrics.overridesRejected()).isEqualTo(1.0);
            assertThat(routed.getTier()).isEqualTo("mid");
            assertThat(routed.getModel()).isEqualTo("mid-model");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        }

        @Test
        void anOverrideNamingAPricedModelApplies() {
            router.publish(override("role=worker").tier("mid").model("mid-model-2").build());

            assertThat(router.route(task("pr-2").role("worker").build()).getModel()).isEqualTo("mid-model-2");
        }
    }

    @Nested
    class RegistryOutage {

        @Test
        void anOverrideReadWhileTheRegistryIsDownIsHeldAndAppliedOnceItAnswers() {
            // the router has read tasks before (their schema is cached), never the policy topic's schema
            assertThat(router.route(task("before").role("worker").build()).getTier()).isEqualTo("mid");
            byte[] freeze = encode(override("role=worker").tier("small").version(9).source(dev.tierflow.schemas.PolicySource.OPERATOR, "freeze").build());
            registry.begin();

            router.rawPolicyTopic.pipeInput("role=worker", freeze);

            assertThat(router.metrics.overridesRejected()).as("an outage is not a bad record").isZero();
            assertThat(router.metrics.overridesWaitingForRegistry()).isEqualTo(1.0);
            // not routed without the override it may be subject to, and not dead-lettered either
            assertThatThrownBy(() -> router.tasks.pipeInput("during", task("during").role("worker").build()));
            assertThat(router.drainTiers()).isEmpty();
            assertThat(router.drainDeadLetters()).isEmpty();

            registry.end();
            // retried with backoff: one second after the failed try at the earliest
            assertThatThrownBy(() -> router.tasks.pipeInput("during", task("during").role("worker").build()));
            assertThat(router.drainTiers()).isEmpty();
            router.driver.advanceWallClockTime(Duration.ofSeconds(1));
            RoutedTask after = router.route(task("during").role("worker").build());

            assertThat(after.getTier()).isEqualTo("small");
            assertThat(after.getRule()).isEqualTo(RoutingRule.LIVE_OVERRIDE);
            assertThat(after.getOverrideVersion()).isEqualTo(9L);
            assertThat(router.metrics.overridesRejected()).isZero();
            assertThat(router.drainDeadLetters()).isEmpty();
        }

        @Test
        void aNewerRecordOfTheScopeReplacesOneThatWaits() {
            assertThat(router.route(task("before").role("worker").build()).getTier()).isEqualTo("mid");
            byte[] older = encode(override("role=worker").tier("small").version(1).build());
            byte[] newer = encode(override("role=worker").tier("frontier").version(2).build());
            registry.begin();
            router.rawPolicyTopic.pipeInput("role=worker", older);
            registry.end();

            router.rawPolicyTopic.pipeInput("role=worker", newer);

            RoutedTask routed = router.route(task("after").role("worker").build());
            assertThat(routed.getTier()).isEqualTo("frontier");
            assertThat(routed.getOverrideVersion()).isEqualTo(2L);
        }

        @Test
        void aTombstoneRemovesARecordThatWaits() {
            assertThat(router.route(task("before").role("worker").build()).getTier()).isEqualTo("mid");
            byte[] freeze = encode(override("role=worker").tier("small").build());
            registry.begin();
            router.rawPolicyTopic.pipeInput("role=worker", freeze);

            router.rawPolicyTopic.pipeInput("role=worker", null);

            assertThat(router.route(task("after").role("worker").build()).getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        }

        @Test
        void aTaskWhoseSchemaCannotBeResolvedForAnOutageIsRetriedNotDeadLettered() {
            byte[] sent = encode(task("t-out").role("worker").build());
            registry.begin();

            assertThatThrownBy(() -> router.rawTasks.pipeInput("t-out".getBytes(StandardCharsets.UTF_8), sent))
                    .hasStackTraceContaining("SchemaRegistryUnavailableException");
            assertThat(router.drainTiers()).isEmpty();
            assertThat(router.drainDeadLetters()).isEmpty();

            registry.end();
            // Streams retries the record from the last commit: here, the test delivers it again
            router.rawTasks.pipeInput("t-out".getBytes(StandardCharsets.UTF_8), sent);
            assertThat(router.drainTiers()).singleElement().satisfies(routed -> assertThat(routed.getTier()).isEqualTo("mid"));
            assertThat(router.drainDeadLetters()).isEmpty();
        }
    }
}
