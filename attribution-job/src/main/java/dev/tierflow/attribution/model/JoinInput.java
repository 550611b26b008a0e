package dev.tierflow.attribution.model;

import dev.tierflow.schemas.ResultSpan;

/**
 * One record read by the job's single Kafka source: a routed attempt, a result span, or a record that
 * could not be read. One source for all input topics keeps Kafka's per-partition watermarks (the
 * timestamp comes from inside the record) and lets a bad record travel on as data instead of failing
 * the job. Exactly one field is set.
 */
public class JoinInput {
    public RoutedRef routed;
    public ResultSpan span;
    public DeadLetter deadLetter;
    /**
     * Join bookkeeping while this input waits in the join's state (never serialized): its timer, while it
     * is only noted in memory and not registered yet; null otherwise.
     */
    public transient NotedTimer timerNote;

    public JoinInput() {
    }

    public static JoinInput routed(RoutedRef routed) {
        JoinInput input = new JoinInput();
        input.routed = routed;
        return input;
    }

    public static JoinInput span(ResultSpan span) {
        JoinInput input = new JoinInput();
        input.span = span;
        return input;
    }

    public static JoinInput deadLetter(DeadLetter deadLetter) {
        JoinInput input = new JoinInput();
        input.deadLetter = deadLetter;
        return input;
    }

    /** Event time: when the attempt was routed, when the span ended; a dead letter has none of its own. */
    public long eventTimeMillis(long recordTimestamp) {
        if (routed != null) {
            return routed.routedAtMillis;
        }
        if (span != null) {
            return span.getEndedAt().toEpochMilli();
        }
        return recordTimestamp;
    }

    /** The join key, or null for a dead letter. */
    public String attemptKey() {
        if (routed != null) {
            return routed.attemptKey();
        }
        if (span != null) {
            return AttemptKey.of(span.getTaskId(), span.getAttempt());
        }
        return null;
    }

    @Override
    public String toString() {
        return routed != null ? routed.toString() : span != null ? "Span[" + span.getSpanId() + "]" : String.valueOf(deadLetter);
    }
}
