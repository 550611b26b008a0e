package dev.tierflow.worker.runtime;

import static dev.tierflow.testing.TaskBuilder.task;
import static dev.tierflow.worker.runtime.LoopHarness.P0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TestInstants;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The committed-spans hook sees exactly the spans of a transaction that committed, and nothing of one that
 * aborted; with Kafka's MockConsumer and MockProducer, so without a broker.
 */
class CommittedSpansTest {

    private static final OutputContract NEEDS_ID = new OutputContract(null, List.of("id"), null, null, null);
    private static final LoopSettings LOOP = LoopSettings.defaults(4).withCommitInterval(Duration.ofMillis(100));

    /** Answers with an id (passes) unless the task id ends in "-bad" (fails its check, escalated). */
    private static final ModelBackend MODELS = request -> new ModelResponse(
            request.taskId().endsWith("-bad") ? "{\"name\": \"no id\"}" : "{\"id\": \"X\"}",
            request.model(), request.provider(), null, 100, 20, 0, FinishReason.STOP, 0.8, null, 5);

    private final List<List<ResultSpan>> heard = new CopyOnWriteArrayList<>();
    private LoopHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    private LoopHarness harness(CommittedSpans hook) {
        harness = new LoopHarness(MODELS, LOOP, DecisionCheck.structural(LoopHarness.TIER), hook);
        return harness;
    }

    private static RoutedTask routed(String taskId) {
        AgentTask task = task(taskId).run("run-1").contract(NEEDS_ID).build();
        return new RoutedTask(task, LoopHarness.TIER, "claude-haiku-4-5", "anthropic", 500, "v1", null, RoutingRule.STATIC_RULE,
                "role=worker", TestInstants.BEGINNING);
    }

    private static void add(LoopHarness h, long firstOffset, String... taskIds) {
        long offset = firstOffset;
        for (String taskId : taskIds) {
            h.add(P0, offset++, routed(taskId));
        }
    }

    @Test
    void hookHearsExactlyTheSpansOfTheCommittedTransactionAfterTheCommit() {
        LoopHarness h = harness(heard::add);
        add(h, 0, "t-1", "t-2-bad", "t-3");

        h.stepUntil(() -> h.committedSpans().size() == 3);

        assertThat(h.producer.transactionCommitted()).isTrue();
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0)).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2-bad", "t-3");
        assertThat(heard.get(0)).isEqualTo(h.committedSpans());
        // the escalation went with them but is no span
        assertThat(h.producer.history()).hasSize(4);
        assertThat(h.producer.history()).filteredOn(r -> r.topic().equals(Topics.TASKS.name())).hasSize(1);
        assertThat(h.committedOffsets()).containsExactly(Map.of(P0, new OffsetAndMetadata(3)));
    }

    @Test
    void eachCommittedTransactionIsHeardOnceAndSeparately() {
        LoopHarness h = harness(heard::add);
        add(h, 0, "t-1", "t-2");
        h.stepUntil(() -> heard.size() == 1);
        add(h, 2, "t-3");
        h.stepUntil(() -> heard.size() == 2);

        assertThat(heard.get(0)).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2");
        assertThat(heard.get(1)).extracting(ResultSpan::getTaskId).containsExactly("t-3");
    }

    @Test
    void nothingIsHeardOfATransactionThatAbortedAndTheRetryIsHeardOnce() {
        LoopHarness h = harness(heard::add);
        h.producer.commitTransactionException = new KafkaException("rebalance in progress");
        add(h, 5, "t-1", "t-2");

        h.stepUntil(() -> h.producer.transactionAborted());
        assertThat(h.producer.transactionCommitted()).isFalse();
        assertThat(heard).isEmpty();

        h.producer.commitTransactionException = null;
        h.clock.advance(Duration.ofSeconds(1));
        h.stepUntil(() -> heard.size() == 1);
        assertThat(heard.get(0)).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2");
    }

    @Test
    void aFailingHookDoesNotUndoOrStopTheWorker() {
        List<String> later = new ArrayList<>();
        LoopHarness h = harness(spans -> {
            later.addAll(spans.stream().map(ResultSpan::getTaskId).toList());
            throw new IllegalStateException("exporter down");
        });
        add(h, 0, "t-1");
        h.stepUntil(() -> later.size() == 1);
        add(h, 1, "t-2");
        h.stepUntil(() -> later.size() == 2);

        assertThat(h.producer.transactionCommitted()).isTrue();
        assertThat(later).containsExactly("t-1", "t-2");
        assertThat(h.worker.state()).isEqualTo(TierWorker.State.RUNNING);
    }
}
