package dev.tierflow.attribution.model;

import dev.tierflow.schemas.ResultSpan;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One record read by the job's single Kafka source: a routed attempt, a result span, or a record that
 * could not be read. One source for all input topics keeps Kafka's per-partition watermarks (the
 * timestamp comes from inside the record) and lets a bad record travel on as data instead of failing
 * the job. Exactly one field is set.
 *
 * <p>Flink serializes it with {@link JoinInputSerializer}.
 */
@TypeInfo(JoinInputTypeInfo.Factory.class)
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

    /**
     * A copy to keep: with object reuse on, Flink may fill the same objects with the next record. The
     * {@link #timerNote} belongs to this object in the join's state, so the copy has none.
     */
    public JoinInput copy() {
        JoinInput copy = new JoinInput();
        copy.routed = routed == null ? null : routed.copy();
        copy.span = span == null ? null : copyOf(span);
        copy.deadLetter = deadLetter == null ? null : deadLetter.copy();
        return copy;
    }

    /**
     * Shallow is enough and much cheaper than the builder's deep copy, as every field of a
     * {@link ResultSpan} is immutable (strings, boxed numbers, instants, an enum).
     */
    private static ResultSpan copyOf(ResultSpan span) {
        ResultSpan copy = new ResultSpan();
        int fields = ResultSpan.getClassSchema().getFields().size();
        for (int field = 0; field < fields; field++) {
            copy.put(field, span.get(field));
        }
        return copy;
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
