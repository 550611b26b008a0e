package dev.tierflow.worker.runtime;

import static dev.tierflow.worker.runtime.LoopHarness.P0;
import static dev.tierflow.worker.runtime.LoopHarness.P1;
import static dev.tierflow.worker.runtime.LoopHarness.routed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelResponse;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's loop on MockConsumer/MockProducer: what ends where, what is committed when, and what stops it. */
class TierWorkerTest {

    /** Answers every task at once and counts the calls per task. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ModelBackend answering = request -> {
        calls.computeIfAbsent(request.taskId(), id -> new AtomicInteger()).incrementAndGet();
        return new ModelResponse("done", request.model(), request.provider(), null, 100, 20, 0, FinishReason.STOP, 0.9, null, 5);
    };
    private final LoopSettings fast = LoopSettings.defaults(4).withCommitInterval(Duration.ofMillis(100));
    private LoopHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private LoopHarness harness(ModelBackend backend) {
        harness = new LoopHarness(backend, fast, DecisionCheck.structural(LoopHarness.TIER), CommittedSpans.NONE);
        return harness;
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void poisonRecordIsDeadLetteredWithItsBytesInTheTransactionOfItsNeighboursAndTheLoopGoesOn() {
        LoopHarness h = harness(answering);
        byte[] poison = "not avro at all".getBytes(StandardCharsets.UTF_8);
        h.add(P0, 0, routed("t-1"));
        h.addRaw(P0, 1, "poison", poison);
        h.add(P0, 2, routed("t-2"));

        h.stepUntil(() -> h.committedSpans().size() == 2);

        assertThat(h.committedSpans()).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2");
        assertThat(h.committedDeadLetters()).hasSize(1);
        ProducerRecord<byte[], byte[]> letter = h.committedDeadLetters().get(0);
        assertThat(letter.value()).isEqualTo(poison);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("poison");
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("tasks.small");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(h.committedOffsets()).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
        assertThat(h.metrics.deadLetters(DeadLetterReason.UNDECODABLE)).isEqualTo(1.0);

        h.add(P0, 3, routed("t-3"));
        h.stepUntil(() -> h.committedSpans().size() == 3);
        assertThat(h.worker.state()).isEqualTo(TierWorker.State.RUNNING);
    }

    @Test
    void emptyValueIsDeadLetteredAsMissing() {
        LoopHarness h = harness(answering);
        h.addRaw(P1, 0, "empty", new byte[0]);

        h.stepUntil(() -> h.committedDeadLetters().size() == 1);

        assertThat(header(h.committedDeadLetters().get(0), DeadLetterHeaders.REASON)).isEqualTo("MISSING_VALUE");
        assertThat(h.committedOffsets()).last().isEqualTo(Map.of(P1, new OffsetAndMetadata(1)));
    }

    @Test
    void anAttemptThatThrowsEndsAsAnErrorSpanAndTheOthersGoOn() {
        LoopHarness h = harness(request -> {
            if (request.taskId().equals("t-boom")) {
                throw new IllegalStateException("bug in a check");
            }
            return answering.call(request);
        });
        h.add(P0, 0, routed("t-boom"));
        h.add(P0, 1, routed("t-ok"));

        h.stepUntil(() -> h.committedSpans().size() == 2);

        ResultSpan boom = h.committedSpans().get(0);
        assertThat(boom.getTaskId()).isEqualTo("t-boom");
        assertThat(boom.getStatus()).isEqualTo(SpanStatus.ERROR);
        assertThat(boom.getCheckDetail()).contains("bug in a check");
        assertThat(h.committedSpans().get(1).getStatus()).isEqualTo(SpanStatus.OK);
        assertThat(h.metrics.spans(SpanStatus.ERROR)).isEqualTo(1.0);
        assertThat(h.metrics.spans(SpanStatus.OK)).isEqualTo(1.0);
    }

    @Test
    void aDecisionTheCheckRefusesIsDeadLetteredAndNeverCalled() {
        harness = new LoopHarness(answering, fast, routed -> routed.getModel().equals("claude-haiku-4-5") ? null : "model not allowed",
                CommittedSpans.NONE);
        LoopHarness h = harness;
        RoutedTask forged = RoutedTask.newBuilder(routed("t-forged")).setModel("claude-opus-4-6").build();
        h.add(P0, 0, forged);
        h.add(P0, 1, routed("t-fine"));

        h.stepUntil(() -> h.committedSpans().size() == 1 && h.committedDeadLetters().size() == 1);

        ProducerRecord<byte[], byte[]> letter = h.committedDeadLetters().get(0);
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("INVALID_DECISION");
        assertThat(header(letter, DeadLetterHeaders.DETAIL)).isEqualTo("model not allowed");
        assertThat(calls).containsOnlyKeys("t-fine");
    }

    @Test
    void aSlowCallHoldsBackOnlyWhatFollowsItInItsPartitionAndIsCalledOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LoopHarness h = harness(request -> {
            if (request.taskId().equals("t-slow")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answering.call(request);
        });
        h.add(P0, 0, routed("t-slow"));
        h.add(P0, 1, routed("t-after-slow"));
        h.add(P1, 0, routed("t-other"));

        // The other partition commits while the slow call runs; nothing of P0 does: t-after-slow is done but waits.
        h.clock.advance(Duration.ofSeconds(1)); // past the commit interval
        h.stepUntil(() -> h.committedSpans().size() == 1 && calls.containsKey("t-after-slow"));
        assertThat(h.committedSpans()).extracting(ResultSpan::getTaskId).containsExactly("t-other");
        assertThat(h.committedOffsets()).allSatisfy(offsets -> assertThat(offsets).doesNotContainKey(P0));
        h.clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 20; i++) {
            h.worker.step(); // commit intervals pass: still nothing of P0
        }
        assertThat(h.committedSpans()).hasSize(1);

        release.countDown();
        h.stepUntil(() -> h.committedSpans().size() == 3);

        assertThat(h.committedSpans()).extracting(ResultSpan::getTaskId).containsExactly("t-other", "t-slow", "t-after-slow");
        assertThat(h.committedOffsets()).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
        assertThat(calls.get("t-slow")).hasValue(1);
        assertThat(calls.get("t-after-slow")).hasValue(1);
    }

    @Test
    void aPartitionWithTooManyRecordsWaitingIsPausedUntilTheyAreCommitted() {
        CountDownLatch release = new CountDownLatch(1);
        harness = new LoopHarness(request -> {
            if (request.taskId().equals("t-0")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answering.call(request);
        }, fast.withMaxPending(2), DecisionCheck.structural(LoopHarness.TIER), CommittedSpans.NONE);
        LoopHarness h = harness;
        h.consumer.setMaxPollRecords(2);
        for (int i = 0; i < 4; i++) {
            h.add(P0, i, routed("t-" + i));
        }

        h.stepUntil(() -> calls.containsKey("t-1"));
        h.worker.step();
        assertThat(h.consumer.paused()).contains(P0);
        assertThat(calls).doesNotContainKeys("t-2", "t-3");

        release.countDown();
        h.stepUntil(() -> h.committedSpans().size() == 4);
        h.worker.step();
        assertThat(h.consumer.paused()).doesNotContain(P0);
    }

    @Test
    void aCallPastTheCallTimeoutEndsAsAnErrorSpanAndIsNotWaitedFor() {
        CountDownLatch never = new CountDownLatch(1);
        harness = new LoopHarness(request -> {
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answering.call(request);
        }, fast.withCallTimeout(Duration.ofMinutes(2)), DecisionCheck.structural(LoopHarness.TIER), CommittedSpans.NONE);
        LoopHarness h = harness;
        h.add(P0, 0, routed("t-hangs"));
        h.stepUntil(() -> h.metrics.callsInFlight() > 0);

        h.clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        h.stepUntil(() -> h.committedSpans().size() == 1);

        ResultSpan span = h.committedSpans().get(0);
        assertThat(span.getStatus()).isEqualTo(SpanStatus.ERROR);
        assertThat(span.getCheckDetail()).contains("call timeout of PT2M");
        never.countDown();
    }

    @Test
    void anAbortedTransactionIsRetriedWithTheSameResultsWithoutCallingAgain() {
        LoopHarness h = harness(answering);
        h.producer.commitTransactionException = new KafkaException("coordinator moved");
        h.add(P0, 0, routed("t-1"));
        h.add(P0, 1, routed("t-2"));

        h.stepUntil(() -> h.producer.transactionAborted());
        assertThat(h.committedSpans()).isEmpty();
        h.producer.commitTransactionException = null;
        h.clock.advance(Duration.ofSeconds(1));
        h.stepUntil(() -> h.committedSpans().size() == 2);

        assertThat(h.committedSpans()).extracting(ResultSpan::getTaskId).containsExactly("t-1", "t-2");
        assertThat(calls.get("t-1")).hasValue(1);
        assertThat(calls.get("t-2")).hasValue(1);
        assertThat(h.metrics.batchesAborted()).isEqualTo(1.0);
    }

    @Test
    void aFailedAbortEndsTheLoop() {
        LoopHarness h = harness(answering);
        h.producer.commitTransactionException = new KafkaException("coordinator moved");
        h.producer.abortTransactionException = new KafkaException("coordinator gone");
        h.add(P0, 0, routed("t-1"));

        assertThatThrownBy(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < until) {
                h.worker.step();
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("could not be aborted")
                .hasRootCauseMessage("coordinator gone");
    }

    @Test
    void aRegistryOutageWhileDecodingIsNotTheRecordsFault() {
        AtomicInteger attempts = new AtomicInteger();
        harness = new LoopHarness(answering, fast, DecisionCheck.structural(LoopHarness.TIER), CommittedSpans.NONE,
                real -> (topic, bytes) -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new SerializationException("lookup failed", new ConnectException("registry down"));
                    }
                    return real.deserialize(topic, bytes);
                });
        LoopHarness h = harness;
        h.add(P0, 0, routed("t-1"));

        h.worker.step();
        assertThat(h.consumer.position(P0)).as("rewound to the record it could not decode").isZero();
        h.add(P0, 0, routed("t-1")); // what the broker sends again after the seek (MockConsumer forgets polled records)
        assertThat(h.consumer.paused()).isEmpty(); // paused at the next turn
        h.worker.step();
        assertThat(h.consumer.paused()).contains(P0);
        assertThat(h.committedDeadLetters()).isEmpty();

        h.clock.advance(Duration.ofSeconds(2));
        h.stepUntil(() -> h.committedSpans().size() == 1);
        assertThat(h.committedDeadLetters()).isEmpty();
    }

    @Test
    void aPollThatFailsEndsTheLoopAndSaysWhy() {
        LoopHarness h = harness(answering);
        h.consumer.setPollException(new KafkaException("not authorised for the topic"));

        assertThatThrownBy(() -> h.worker.run()).hasMessageContaining("not authorised");

        assertThat(h.worker.state()).isEqualTo(TierWorker.State.FAILED);
        assertThat(h.worker.failure()).hasMessageContaining("not authorised");
        assertThat(h.consumer.closed()).isTrue();
        assertThat(h.producer.closed()).isTrue();
    }

    @Test
    void closingLetsTheCallsInFlightFinishAndCommitsThem() {
        CountDownLatch release = new CountDownLatch(1);
        LoopHarness h = harness(request -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answering.call(request);
        });
        h.add(P0, 0, routed("t-1"));
        h.stepUntil(() -> h.metrics.callsInFlight() > 0);

        h.worker.close();
        release.countDown();
        h.worker.drain();

        assertThat(h.committedSpans()).extracting(ResultSpan::getTaskId).containsExactly("t-1");
        assertThat(h.committedOffsets()).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(1)));
    }

    @Test
    void aRevokedPartitionsCallsInFlightFinishAndAreCommittedBeforeItIsHandedOver() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LoopHarness h = harness(request -> {
            if (request.taskId().equals("t-in-flight")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answering.call(request);
        });
        h.add(P0, 0, routed("t-done"));
        h.add(P0, 1, routed("t-in-flight"));
        h.stepUntil(() -> calls.containsKey("t-done") && h.metrics.callsInFlight() > 0);
        java.util.concurrent.atomic.AtomicBoolean revoking = new java.util.concurrent.atomic.AtomicBoolean();
        Thread releaser = new Thread(() -> {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(revoking);
            release.countDown();
        });
        releaser.start();

        revoking.set(true);
        h.consumer.rebalance(List.of(P1)); // P0 goes to another member

        assertThat(h.committedSpans()).extracting(ResultSpan::getTaskId).containsExactly("t-done", "t-in-flight");
        assertThat(h.committedOffsets()).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
        assertThat(calls.get("t-in-flight")).hasValue(1);
        releaser.join();
    }
}
