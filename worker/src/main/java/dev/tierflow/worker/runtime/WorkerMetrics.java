package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.SpanStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker's own metrics: committed spans by status, committed dead letters by reason, transactions by
 * outcome, model-call latency, calls in flight. Counters count what a committed transaction made visible,
 * so they agree with what read_committed readers of the topics see.
 */
public final class WorkerMetrics {

    private final Map<SpanStatus, Counter> spans = new EnumMap<>(SpanStatus.class);
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Counter committed;
    private final Counter aborted;
    private final Counter timedOut;
    private final Timer calls;
    private final AtomicInteger inFlight = new AtomicInteger();

    public WorkerMetrics(MeterRegistry registry, String tier) {
        for (SpanStatus status : SpanStatus.values()) {
            spans.put(status, Counter.builder("tierflow.worker.spans").description("Result spans committed, by status")
                    .tag("tier", tier).tag("status", status.name()).register(registry));
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, Counter.builder("tierflow.worker.dead.letters")
                    .description("Routed-task records committed to tasks.<tier>.dlq, by reason")
                    .tag("tier", tier).tag("reason", reason.name()).register(registry));
        }
        committed = batches(registry, tier, "committed");
        aborted = batches(registry, tier, "aborted");
        timedOut = Counter.builder("tierflow.worker.calls.timed.out").description("Model calls given up after the call timeout")
                .tag("tier", tier).register(registry);
        calls = Timer.builder("tierflow.worker.call").description("Wall time of one attempt's model call, retries and fallback included")
                .tag("tier", tier).register(registry);
        registry.gauge("tierflow.worker.calls.in.flight", java.util.List.of(io.micrometer.core.instrument.Tag.of("tier", tier)),
                inFlight);
    }

    /** Metrics kept in memory only, for tests and tools. */
    public static WorkerMetrics inMemory(String tier) {
        return new WorkerMetrics(new SimpleMeterRegistry(), tier);
    }

    private static Counter batches(MeterRegistry registry, String tier, String outcome) {
        return Counter.builder("tierflow.worker.batches").description("Transactions of spans, dead letters and offsets, by outcome")
                .tag("tier", tier).tag("outcome", outcome).register(registry);
    }

    void spanCommitted(SpanStatus status) {
        spans.get(status).increment();
    }

    void deadLetterCommitted(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    void batchCommitted() {
        committed.increment();
    }

    void batchAborted() {
        aborted.increment();
    }

    void callTimedOut() {
        timedOut.increment();
    }

    void callStarted() {
        inFlight.incrementAndGet();
    }

    void callEnded(Duration took) {
        inFlight.decrementAndGet();
        calls.record(took);
    }

    public double spans(SpanStatus status) {
        return spans.get(status).count();
    }

    public double deadLetters(DeadLetterReason reason) {
        return deadLetters.get(reason).count();
    }

    public double batchesCommitted() {
        return committed.count();
    }

    public double batchesAborted() {
        return aborted.count();
    }

    public int callsInFlight() {
        return inFlight.get();
    }

    public long callsRecorded() {
        return calls.count();
    }
}
