package dev.tierflow.router;

import static dev.tierflow.router.RouterTopologyTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.BadTaskRecords;
import dev.tierflow.testing.BadTaskRecords.BadRecord;
import dev.tierflow.testing.PolicyRuleBuilder;
import dev.tierflow.testing.TaskBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The fuzz harness of the router: a corpus of bad records (trailing bytes, random bytes, null and empty
 * values, huge and absurd values, wrong ids, forged names) and of poison overrides, shuffled among good
 * tasks. Every bad record ends on the dead-letter topic once with its own reason, every good task is
 * routed once, no poison override ever decides a task, and none takes the one good override away.
 */
class BadRecordCorpusProperties {

    private static final int GOOD_OR_RANDOM = 30;

    private RouterHarness router;
    private List<BadRecord> corpus;
    private List<byte[][]> poison;
    private TestInputTopic<byte[], byte[]> rawPolicy;

    @BeforeProperty
    void startRouter() {
        router = new RouterHarness();
        rawPolicy = router.driver.createInputTopic(Topics.POLICY.name(), new ByteArraySerializer(), new ByteArraySerializer());
        // the one good override: planners to small; no poison record may take it away or add another
        router.publish(PolicyRuleBuilder.override("role=planner").tier("small").version(9).build());
        corpus = BadTaskRecords.corpus(this::encode,
                rule -> router.serdes.valueSerde(Topics.POLICY).serializer().serialize(Topics.POLICY.name(), rule), "corpus");
        poison = BadTaskRecords.poisonOverrides(
                rule -> router.serdes.valueSerde(Topics.POLICY).serializer().serialize(Topics.POLICY.name(), rule));
    }

    @AfterProperty
    void stopRouter() {
        router.close();
    }

    private byte[] encode(AgentTask task) {
        return router.serdes.valueSerde(Topics.TASKS).serializer().serialize(Topics.TASKS.name(), task);
    }

    @Property(tries = 100)
    void everyBadRecordIsDeadLetteredOnceWithItsReasonAndEveryGoodTaskRoutedOnce(
            @ForAll("steps") List<Integer> steps, @ForAll("randomBytes") List<byte[]> randomValues) {
        Map<String, String> expectedReason = new HashMap<>();
        List<String> goodIds = new ArrayList<>();
        int sequence = 0;
        for (int draw : steps) {
            int step = draw % (corpus.size() + poison.size() + GOOD_OR_RANDOM);
            String key = "k" + sequence++;
            if (step < corpus.size()) {
                BadRecord bad = corpus.get(step);
                router.rawTasks.pipeInput(key.getBytes(StandardCharsets.UTF_8), bad.value());
                expectedReason.put(key, bad.reason().name());
            } else if (step < corpus.size() + poison.size()) {
                byte[][] override = poison.get(step - corpus.size());
                rawPolicy.pipeInput(override[0], override[1]);
            } else if (step % 2 == 0 && !randomValues.isEmpty()) {
                byte[] random = randomValues.get(step % randomValues.size());
                router.rawTasks.pipeInput(key.getBytes(StandardCharsets.UTF_8), random);
                // bytes that do not start with the magic byte 0 are never a framed record
                expectedReason.put(key, "UNDECODABLE");
            } else {
                AgentTask good = TaskBuilder.task("good-" + key).role(step % 3 == 0 ? "worker" : "planner").build();
                router.rawTasks.pipeInput(key.getBytes(StandardCharsets.UTF_8), encode(good));
                goodIds.add(good.getTaskId());
            }
        }

        List<RoutedTask> routed = router.drainTiers();
        assertThat(routed).extracting(r -> r.getTask().getTaskId()).containsExactlyInAnyOrderElementsOf(goodIds);
        assertThat(routed).allSatisfy(task -> {
            if (task.getTask().getRole().equals("planner")) {
                assertThat(task.getRule()).as("a planner task, under the good override").isEqualTo(RoutingRule.LIVE_OVERRIDE);
                assertThat(task.getTier()).isEqualTo("small");
                assertThat(task.getOverrideVersion()).isEqualTo(9L);
            } else {
                assertThat(task.getRule()).as("a worker task: no poison override applies").isNotEqualTo(RoutingRule.LIVE_OVERRIDE);
            }
        });
        Map<String, String> deadLettered = new HashMap<>();
        for (TestRecord<byte[], byte[]> deadLetter : router.drainDeadLetters()) {
            String key = new String(deadLetter.key(), StandardCharsets.UTF_8);
            assertThat(deadLettered.put(key, header(deadLetter.headers(), DeadLetterHeaders.REASON)))
                    .as("%s dead-lettered twice", key).isNull();
        }
        assertThat(deadLettered.keySet()).isEqualTo(expectedReason.keySet());
        assertThat(deadLettered).isEqualTo(expectedReason);
        assertThat(router.metrics.overridesApplied()).as("overrides applied: the good one only").isEqualTo(1.0);
    }

    /** Each draw picks a corpus record, a poison override, or (about half the time) a good task or random bytes. */
    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.integers().between(0, 1_000_000).list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<byte[]>> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200)
                .filter(bytes -> bytes[0] != 0).list().ofMaxSize(5);
    }
}
