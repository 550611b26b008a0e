package dev.tierflow.attribution.model;

/**
 * A join timer noted in memory instead of registered (see {@code SpanTaskJoinOperator}), shared by the
 * waiting entry ({@link JoinInput#timerNote}) and the operator's queue of notes. It holds no reference to
 * the entry, so an entry the join has settled is garbage at once, while its note waits to be dropped.
 */
public final class NotedTimer {
    public final String key;
    public final long deadline;
    /** The watermark at which the note is taken from the queue: notes are queued in this order. */
    public final long due;
    /** The join has decided the entry's outcome: the timer will never be needed. */
    public boolean settled;

    public NotedTimer(String key, long deadline, long due) {
        this.key = key;
        this.deadline = deadline;
        this.due = due;
    }
}
