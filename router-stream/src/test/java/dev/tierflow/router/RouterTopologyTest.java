package dev.tierflow.router;

import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static dev.tierflow.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouterTopologyTest {

    private final RouterHarness router = new RouterHarness();

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Nested
    class StaticRulesAndBudgets {

        @Test
        void roleRuleDecidesTierModelProviderAndTheTaskTypeBudget() {
            RoutedTask routed = router.route(task("t-1").role("planner").type("plan").build());

            assertThat(routed.getTier()).isEqualTo("frontier");
            assertThat(routed.getModel()).isEqualTo("frontier-model");
            assertThat(routed.getProvider()).isEqualTo("provider-b");
            assertThat(routed.getMaxOutputTokens()).isEqualTo(4000);
            assertThat(routed.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
            assertThat(routed.getRuleDetail()).isEqualTo("role=planner");
            assertThat(routed.getPolicyVersion()).isEqualTo("test-7");
            assertThat(routed.getOverrideVersion()).isNull();
            assertThat(routed.getRoutedAt()).isEqualTo(TestInstants.BEGINNING);
            assertThat(routed.getTask().getTaskId()).isEqualTo("t-1");
        }

        @Test
        void taskLandsOnTheTopicOfItsTierKeyedByTaskId() {
            router.tasks.pipeInput("t-2", task("t-2").role("file-ops").type("move-file").build());

            var small = router.tierTopics.get("small").readRecordsToList();
            assertThat(small).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("t-2"));
            assertThat(router.tierTopics.get("mid").isEmpty()).isTrue();
            assertThat(router.tierTopics.get("frontier").isEmpty()).isTrue();
            assertThat(router.metrics.decisions("small", RoutingRule.STATIC_RULE)).isEqualTo(1.0);
        }

        @Test
        void typesWithoutTheirOwnBudgetGetTheDefault() {
            assertThat(router.route(task("t-3").role("worker").type("translate").build()).getMaxOutputTokens()).isEqualTo(1000);
        }

        @Test
        void agentMayAskForLessThanThePolicyBudgetButNeverMore() {
            assertThat(router.route(task("less").type("extract").requestedMaxOutputTokens(200).build()).getMaxOutputTokens()).isEqualTo(200);
            assertThat(router.route(task("more").type("extract").requestedMaxOutputTokens(5000).build()).getMaxOutputTokens()).isEqualTo(500);
        }
    }

    @Nested
    class Pins {

        @Test
        void pinBeatsTheStaticRuleAndFixesTheModel() {
            RoutedTask routed = router.route(task("p-1").tenant("acme-health").role("planner").type("plan").build());

            assertThat(routed.getTier()).isEqualTo("mid");
            assertThat(routed.getModel()).isEqualTo("mid-model-eu");
            assertThat(routed.getProvider()).isEqualTo("provider-eu");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.PIN);
            assertThat(routed.getRuleDetail()).isEqualTo("pin eu-health");
        }

        @Test
        void overrideThatTriesToMoveAPinnedRoleDoesNotMoveIt() {
            router.publish(override("role=worker").tier("frontier").version(4).build());

            RoutedTask pinned = router.route(task("p-2").tenant("acme-health").role("worker").build());
            RoutedTask unpinned = router.route(task("p-3").tenant("acme").role("worker").build());

            assertThat(pinned.getTier()).isEqualTo("mid");
            assertThat(pinned.getRule()).isEqualTo(RoutingRule.PIN);
            assertThat(pinned.getOverrideVersion()).isNull();
            assertThat(unpinned.getTier()).isEqualTo("frontier");
            assertThat(unpinned.getRule()).isEqualTo(RoutingRule.LIVE_OVERRIDE);
        }

        @Test
        void pinOnAnAttributeWithItsOwnBudget() {
            RoutedTask routed = router.route(task("p-4").role("planner").type("plan").attribute("data-class", "phi").build());

            assertThat(routed.getTier()).isEqualTo("small");
            assertThat(routed.getModel()).isEqualTo("small-model-onprem");
            assertThat(routed.getProvider()).as("defaults to the tier's provider").isEqualTo("provider-a");
            assertThat(routed.getMaxOutputTokens()).isEqualTo(300);
        }

        @Test
        void pinHoldsForEscalationsToo() {
            RoutedTask routed = router.route(task("p-5").tenant("acme-health").role("worker").escalatedFrom("mid", 1).build());

            assertThat(routed.getTier()).isEqualTo("mid");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.PIN);
        }
    }

    @Nested
    class Escalation {

        @Test
        void escalationGoesOneTierAboveTheTierThatFailed() {
            RoutedTask routed = router.route(task("e-1").role("file-ops").type("move-file").escalatedFrom("small", 1).build());

            assertThat(routed.getTier()).isEqualTo("mid");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.ESCALATION);
            assertThat(routed.getRuleDetail()).isEqualTo("escalated from small (attempt 1)");
            assertThat(routed.getTask().getAttempt()).isEqualTo(1);
        }

        @Test
        void escalationKeepsAHigherTierTheRulesAlreadyChose() {
            RoutedTask routed = router.route(task("e-2").role("planner").type("plan").escalatedFrom("small", 1).build());

            assertThat(routed.getTier()).isEqualTo("frontier");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.ESCALATION);
        }

        @Test
        void escalationBeatsALiveOverrideThatWouldSendItBackDown() {
            router.publish(override("role=worker").tier("small").build());

            RoutedTask routed = router.route(task("e-3").role("worker").escalatedFrom("small", 1).build());

            assertThat(routed.getTier()).isEqualTo("mid");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.ESCALATION);
        }

        @Test
        void escalationIsCappedAtTheTopTier() {
            RoutedTask routed = router.route(task("e-4").role("worker").escalatedFrom("frontier", 2).build());

            assertThat(routed.getTier()).isEqualTo("frontier");
            assertThat(routed.getRuleDetail()).isEqualTo("escalated from frontier (attempt 2), already the top tier");
        }

        @Test
        void pastMaxAttemptsTheTaskIsDeadLettered() {
            router.tasks.pipeInput("e-5", task("e-5").role("worker").escalatedFrom("mid", 3).build());

            assertThat(router.drainTiers()).isEmpty();
            assertThat(router.drainDeadLetters()).singleElement()
                    .satisfies(r -> assertThat(header(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("MAX_ATTEMPTS_EXCEEDED"));
        }
    }

    @Nested
    class LiveOverrides {

        @Test
        void overrideBeatsTheStaticRuleAndATombstoneRemovesIt() {
            router.publish(override("role=planner").tier("mid").version(7).build());
            RoutedTask overridden = router.route(task("o-1").role("planner").type("plan").build());

            router.tombstone("role=planner");
            RoutedTask restored = router.route(task("o-2").role("planner").type("plan").build());

            assertThat(overridden.getTier()).isEqualTo("mid");
            assertThat(overridden.getRule()).isEqualTo(RoutingRule.LIVE_OVERRIDE);
            assertThat(overridden.getRuleDetail()).isEqualTo("role=planner");
            assertThat(overridden.getOverrideVersion()).isEqualTo(7L);
            assertThat(restored.getTier()).isEqualTo("frontier");
            assertThat(restored.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        }

        @Test
        void mostSpecificOverrideWins() {
            router.publish(override("role=worker").tier("frontier").version(1).build());
            router.publish(override("role=worker/type=extract").tier("small").version(2).build());

            assertThat(router.route(task("o-3").role("worker").type("extract").build()).getTier()).isEqualTo("small");
            assertThat(router.route(task("o-4").role("worker").type("summarize").build()).getTier()).isEqualTo("frontier");
        }

        @Test
        void overrideMayChangeTheModelAndTheBudget() {
            router.publish(override("tenant=acme/role=worker").tier("mid").model("mid-model-2").maxOutputTokens(64).build());

            RoutedTask routed = router.route(task("o-5").tenant("acme").role("worker").type("extract").build());

            assertThat(routed.getModel()).isEqualTo("mid-model-2");
            assertThat(routed.getMaxOutputTokens()).isEqualTo(64);
        }

        @Test
        void budgetOnlyOverrideLeavesTheTierToTheRules() {
            router.publish(override("type=plan").maxOutputTokens(1500).version(3).build());

            RoutedTask routed = router.route(task("o-6").role("planner").type("plan").build());

            assertThat(routed.getTier()).isEqualTo("frontier");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
            assertThat(routed.getMaxOutputTokens()).isEqualTo(1500);
            assertThat(routed.getOverrideVersion()).isEqualTo(3L);
        }

        @Test
        void expiredOverrideNoLongerApplies() {
            router.publish(override("role=planner").tier("small").expiresAt(TestInstants.ONE_MINUTE_LATER).build());
            RoutedTask before = router.route(task("o-7").role("planner").build());

            router.driver.advanceWallClockTime(Duration.ofMinutes(2));
            RoutedTask after = router.route(task("o-8").role("planner").build());

            assertThat(before.getTier()).isEqualTo("small");
            assertThat(after.getTier()).isEqualTo("frontier");
            assertThat(after.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        }

        @Test
        void overrideNamingAnUnknownTierIsRejectedAndCounted() {
            router.publish(override("role=worker").tier("gigantic").build());

            RoutedTask routed = router.route(task("o-9").role("worker").build());

            assertThat(routed.getTier()).isEqualTo("mid");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.STATIC_RULE);
            assertThat(router.metrics.overridesRejected()).isEqualTo(1.0);
            assertThat(router.metrics.overridesApplied()).isZero();
        }

        @Test
        void invalidUpdateLeavesTheScopeWithoutOverrideJustAsAfterARestart() {
            router.publish(override("role=worker").tier("small").version(1).build());
            router.publish(override("role=worker").tier("gigantic").version(2).build());

            assertThat(router.route(task("o-10").role("worker").build()).getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        }

        @Test
        void overrideWhoseScopeIsNotTenantRoleOrTypeIsRejected() {
            router.policyTopic.pipeInput("tier=small", override("tier=small").tier("mid").build());

            assertThat(router.metrics.overridesRejected()).isEqualTo(1.0);
        }
    }

    @Nested
    class Classifier {

        @Test
        void hintDecidesFirst() {
            RoutedTask routed = router.route(task("c-1").role("researcher").type("classify").attribute("tierflow.hint", "needs-reasoning").build());

            assertThat(routed.getTier()).isEqualTo("frontier");
            assertThat(routed.getRule()).isEqualTo(RoutingRule.CLASSIFIER);
            assertThat(routed.getRuleDetail()).isEqualTo("hint=needs-reasoning");
        }

        @Test
        void thenTheTaskType() {
            RoutedTask routed = router.route(task("c-2").role("researcher").type("classify").inputTokens(50_000).build());

            assertThat(routed.getTier()).isEqualTo("small");
            assertThat(routed.getRuleDetail()).isEqualTo("type=classify");
        }

        @Test
        void thenTheInputSize() {
            assertThat(router.route(task("c-3").role("researcher").type("read").inputTokens(10).build()).getTier()).isEqualTo("small");
            assertThat(router.route(task("c-4").role("researcher").type("read").inputTokens(2000).build()).getTier()).isEqualTo("mid");
            RoutedTask large = router.route(task("c-5").role("researcher").type("read").inputTokens(40_000).build());
            assertThat(large.getTier()).isEqualTo("frontier");
            assertThat(large.getRuleDetail()).isEqualTo("inputTokens>=32000");
        }

        @Test
        void unknownHintFallsThroughToTheOtherRules() {
            assertThat(router.route(task("c-6").role("researcher").type("read").inputTokens(10)
                    .attribute("tierflow.hint", "whatever").build()).getRuleDetail()).isEqualTo("inputTokens>=0");
        }

        @Test
        void classifierDoesNotDecideForRolesThePolicyFixes() {
            assertThat(router.route(task("c-7").role("worker").type("classify").build()).getRule()).isEqualTo(RoutingRule.STATIC_RULE);
        }

        @Test
        void withTheClassifierOffUnfixedRolesGetTheDefaultTier() {
            String yaml = """
                    version: "v1"
                    tiers: [{name: small, model: s, provider: p}, {name: mid, model: m, provider: p}]
                    defaultTier: mid
                    classifier: {enabled: false, taskTypes: {classify: small}}
                    """;
            try (RouterHarness plain = new RouterHarness(PolicyLoader.parse(yaml, "inline"))) {
                RoutedTask routed = plain.route(task("c-8").role("researcher").type("classify").build());

                assertThat(routed.getTier()).isEqualTo("mid");
                assertThat(routed.getRule()).isEqualTo(RoutingRule.DEFAULT);
            }
        }
    }

    @Nested
    class DeadLetters {

        @Test
        void undecodableBytesGoToTheDeadLetterTopicWithTheirOriginalBytesAndSource() {
            byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
            router.rawTasks.pipeInput("k-1".getBytes(StandardCharsets.UTF_8), garbage);

            assertDeadLettered(DeadLetterReason.UNDECODABLE, garbage);
        }

        @Test
        void frameTooShortIsUndecodable() {
            router.rawTasks.pipeInput(null, new byte[] {0, 0, 1});

            assertDeadLettered(DeadLetterReason.UNDECODABLE, new byte[] {0, 0, 1});
        }

        @Test
        void corruptBodyAfterAValidFrameIsUndecodable() {
            byte[] valid = router.serdes.valueSerde(Topics.TASKS).serializer().serialize(Topics.TASKS.name(), task("x").build());
            byte[] truncated = java.util.Arrays.copyOf(valid, 9);

            router.rawTasks.pipeInput(null, truncated);

            assertDeadLettered(DeadLetterReason.UNDECODABLE, truncated);
        }

        @Test
        void unknownSchemaIdIsNamedAsSuch() {
            byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();

            router.rawTasks.pipeInput(null, unknownId);

            TestRecord<byte[], byte[]> dead = assertDeadLettered(DeadLetterReason.UNKNOWN_SCHEMA_ID, unknownId);
            assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("987654");
        }

        @Test
        void nullValueIsMissing() {
            router.rawTasks.pipeInput("k".getBytes(StandardCharsets.UTF_8), (byte[]) null);

            assertDeadLettered(DeadLetterReason.MISSING_VALUE, null);
        }

        @Test
        void emptyRequiredFieldIsInvalidAndNamed() {
            assertInvalid(task("f-1").role("").build(), "role is missing or empty");
        }

        @Test
        void negativeSizeIsInvalid() {
            assertInvalid(task("f-2").inputTokens(-5).build(), "inputTokens must not be negative, was -5");
        }

        @Test
        void nonPositiveRequestedBudgetIsInvalid() {
            assertInvalid(task("f-3").requestedMaxOutputTokens(0).build(), "requestedMaxOutputTokens must be positive when set, was 0");
        }

        @Test
        void escalationFromAnUnknownTierIsInvalid() {
            assertInvalid(task("f-4").escalatedFrom("gigantic", 1).build(), "escalatedFromTier names unknown tier 'gigantic'");
        }

        @Test
        void escalationOnAttemptZeroIsInvalid() {
            assertInvalid(task("f-5").escalatedFrom("small", 0).build(), "escalatedFromTier is set on attempt 0; an escalation has attempt > 0");
        }

        @Test
        void theAppKeepsRoutingAfterBadInput() {
            router.rawTasks.pipeInput(null, new byte[] {1, 2, 3});
            router.tasks.pipeInput("ok", task("ok").role("planner").build());

            assertThat(router.drainDeadLetters()).hasSize(1);
            assertThat(router.drainTiers()).extracting(r -> r.getTask().getTaskId()).containsExactly("ok");
        }

        private void assertInvalid(AgentTask task, String detail) {
            byte[] bytes = router.serdes.valueSerde(Topics.TASKS).serializer().serialize(Topics.TASKS.name(), task);
            router.rawTasks.pipeInput(task.getTaskId().getBytes(StandardCharsets.UTF_8), bytes);

            TestRecord<byte[], byte[]> dead = assertDeadLettered(DeadLetterReason.INVALID_FIELD, bytes);
            assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).isEqualTo(detail);
            assertThat(dead.key()).isEqualTo(task.getTaskId().getBytes(StandardCharsets.UTF_8));
        }

        private TestRecord<byte[], byte[]> assertDeadLettered(DeadLetterReason reason, byte[] originalValue) {
            assertThat(router.drainTiers()).as("nothing reaches a tier topic").isEmpty();
            List<TestRecord<byte[], byte[]>> dead = router.drainDeadLetters();
            assertThat(dead).hasSize(1);
            TestRecord<byte[], byte[]> record = dead.get(0);
            assertThat(record.value()).isEqualTo(originalValue);
            assertThat(header(record.headers(), DeadLetterHeaders.REASON)).isEqualTo(reason.name());
            assertThat(header(record.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.TASKS.name());
            assertThat(header(record.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(record.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isNotNull();
            assertThat(router.metrics.deadLetters(reason)).isEqualTo(1.0);
            return record;
        }
    }

    @Nested
    class Encoding {

        @Test
        void taskWrittenWithItsOwnSchemaKeepsEveryField() {
            AgentTask sent = task("enc-1").role("researcher").type("read").attribute("tierflow.hint", "mechanical")
                    .contract(new dev.tierflow.schemas.OutputContract("{\"type\":\"object\"}", List.of("id"), "^\\{.*", 2000, 0.5))
                    .requestedMaxOutputTokens(300).build();

            assertThat(router.route(sent).getTask()).isEqualTo(sent);
        }

        @Test
        void taskWrittenWithANewerSchemaIsEncodedAgainNotCopied() {
            // A producer one schema version ahead: an extra field this router does not know.
            Schema newer = new Schema.Parser().parse(AgentTask.getClassSchema().toString().replaceFirst(
                    "\\{\"name\":\"taskId\"", "{\"name\":\"costCenter\",\"type\":\"string\",\"default\":\"none\"},{\"name\":\"taskId\""));
            AgentTask expected = task("enc-2").role("planner").type("plan").build();
            GenericData.Record record = new GenericData.Record(newer);
            for (Schema.Field field : AgentTask.getClassSchema().getFields()) {
                record.put(field.name(), expected.get(field.name()));
            }
            record.put("createdAt", expected.getCreatedAt().toEpochMilli());
            record.put("costCenter", "cc-42");
            AvroKafkaSerializer<GenericData.Record> producer = new AvroKafkaSerializer<>(router.registry);
            producer.configure(router.serdes.config(), false);

            router.rawTasks.pipeInput("enc-2".getBytes(StandardCharsets.UTF_8), producer.serialize(Topics.TASKS.name(), record));

            RoutedTask routed = router.drainTiers().get(0);
            assertThat(routed.getTask()).isEqualTo(expected);
            assertThat(routed.getTier()).isEqualTo("frontier");
            assertThat(routed.getRuleDetail()).isEqualTo("role=planner");
        }
    }

    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
