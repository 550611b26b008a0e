package dev.tierflow.worker.runtime;

/**
 * What a {@link TierWorker} needs besides its clients and its runner.
 *
 * @param loop      concurrency, pending records, commit interval, call timeout, shutdown grace
 * @param decisions which routed tasks it may execute (the others are dead-lettered, {@code INVALID_DECISION})
 * @param metrics   where it counts spans, dead letters, transactions and call latency
 * @param committed told the spans of each committed transaction (e.g. to export them)
 */
public record WorkerOptions(LoopSettings loop, DecisionCheck decisions, WorkerMetrics metrics, CommittedSpans committed) {

    public WorkerOptions {
        committed = committed == null ? CommittedSpans.NONE : committed;
    }

    /** The default loop, the checks that need no policy, metrics in memory, no listener. */
    public static WorkerOptions defaults(String tier, int concurrency) {
        return new WorkerOptions(LoopSettings.defaults(concurrency), DecisionCheck.structural(tier), WorkerMetrics.inMemory(tier),
                CommittedSpans.NONE);
    }

    public WorkerOptions withLoop(LoopSettings settings) {
        return new WorkerOptions(settings, decisions, metrics, committed);
    }

    public WorkerOptions withDecisions(DecisionCheck check) {
        return new WorkerOptions(loop, check, metrics, committed);
    }

    public WorkerOptions withMetrics(WorkerMetrics workerMetrics) {
        return new WorkerOptions(loop, decisions, workerMetrics, committed);
    }

    public WorkerOptions withCommitted(CommittedSpans listener) {
        return new WorkerOptions(loop, decisions, metrics, listener);
    }
}
