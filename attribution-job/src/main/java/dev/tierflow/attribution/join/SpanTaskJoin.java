package dev.tierflow.attribution.join;

import dev.tierflow.attribution.FrontierPricing;
import dev.tierflow.attribution.WindowSpec;
import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.StuckTask;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins each result span to its routed attempt (key {@code taskId#attempt}) in event time.
 *
 * <ul>
 *   <li>Span after its routed attempt (the usual order): attributed at once.</li>
 *   <li>Span before its routed attempt (the two come from different topics): the span waits; when the
 *       attempt arrives, it is attributed at once, at the span's event time (the windows downstream are
 *       chosen from the attribution's event time, not the record's timestamp).</li>
 *   <li>No span by {@code routedAt + stuckAfter}: a {@link StuckTask} and a STUCK attribution. The
 *       attempt is kept until {@code routedAt + joinBound}, so a span that is merely slow still joins.</li>
 *   <li>No routed attempt by {@code endedAt + joinBound}, or a second span for the same attempt: the span
 *       goes to the unmatched output and is counted per model.</li>
 *   <li>A span that can no longer count in any window (past the allowed lateness) goes to the late
 *       output whole.</li>
 * </ul>
 * State and timers of a key are cleared as soon as its outcome is decided.
 */
public class SpanTaskJoin extends KeyedProcessFunction<String, JoinInput, Attribution> {

    public static final OutputTag<StuckTask> STUCK = new OutputTag<>("stuck", new AvroTypeInfo<>(StuckTask.class));
    public static final OutputTag<ResultSpan> UNMATCHED = new OutputTag<>("unmatched", new AvroTypeInfo<>(ResultSpan.class));
    public static final OutputTag<ResultSpan> LATE = new OutputTag<>("late", new AvroTypeInfo<>(ResultSpan.class));

    private final long joinBoundMillis;
    private final long stuckAfterMillis;
    private final WindowSpec windows;
    private final FrontierPricing frontier;

    /** What waits for its other half: the routed attempt or the span (one entry per key, so one lookup per record). */
    private transient ValueState<JoinInput> waiting;
    /** Set by {@link SpanTaskJoinOperator}; without it, every timer is registered at once. */
    private transient DeferredTimers deferred;
    private transient Counter matched;
    private transient Counter unmatched;
    private transient Counter stuck;
    private transient Counter late;
    private transient Counter duplicateRouted;

    public SpanTaskJoin(Duration joinBound, Duration stuckAfter, WindowSpec windows, FrontierPricing frontier) {
        if (stuckAfter.compareTo(joinBound) > 0) {
            throw new IllegalArgumentException("stuck timeout " + stuckAfter + " must not exceed the join bound " + joinBound
                    + ": an attempt is forgotten at the join bound");
        }
        this.joinBoundMillis = joinBound.toMillis();
        this.stuckAfterMillis = stuckAfter.toMillis();
        this.windows = windows;
        this.frontier = frontier;
    }

    @Override
    public void open(OpenContext openContext) {
        var context = getRuntimeContext();
        waiting = context.getState(waitingState());
        var metrics = context.getMetricGroup();
        matched = metrics.counter("spansMatched");
        unmatched = metrics.counter("spansUnmatched");
        stuck = metrics.counter("tasksStuck");
        late = metrics.counter("spansLate");
        duplicateRouted = metrics.counter("routedDuplicates");
    }

    @Override
    public void processElement(JoinInput input, Context ctx, Collector<Attribution> out) throws Exception {
        if (input.routed != null) {
            onRouted(input, ctx, out);
        } else if (input.span != null) {
            onSpan(input, ctx, out);
        } else {
            throw new IllegalArgumentException("dead letters are split off before the join: " + input);
        }
    }

    private void onRouted(JoinInput input, Context ctx, Collector<Attribution> out) throws Exception {
        RoutedRef routed = input.routed;
        JoinInput other = waiting.value();
        if (other != null && other.routed != null) {
            // the router routes an attempt once; a repeat is the same attempt, not a new one to count
            duplicateRouted.inc();
            return;
        }
        if (other != null) {
            // the span came first: attributed now, at the span's own event time (its windows are chosen
            // from that, downstream, not from this record's timestamp)
            ResultSpan span = other.span;
            attribute(routed, span, ctx, out);
            settle(other, ctx);
            waiting.clear();
            return;
        }
        // a copy: with object reuse on, Flink may fill the same input object with the next record
        JoinInput kept = input.copy();
        // one timer per attempt while it waits: the forget timer is set only if it gets stuck
        setTimer(kept, stuckAt(routed), ctx);
        waiting.update(kept);
    }

    private void onSpan(JoinInput input, Context ctx, Collector<Attribution> out) throws Exception {
        ResultSpan span = input.span;
        JoinInput other = waiting.value();
        RoutedRef routed = other == null ? null : other.routed;
        if (routed != null) {
            // the usual case: the attempt is waiting for this span
            attribute(routed, span, ctx, out);
            settle(other, ctx);
            waiting.clear();
        } else if (other != null) {
            // one span per attempt: a second one cannot be attributed without counting the attempt twice
            emitUnmatched(span, ctx, out);
        } else {
            JoinInput kept = input.copy();
            setTimer(kept, unmatchedAt(span), ctx);
            waiting.update(kept);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Attribution> out) throws Exception {
        JoinInput other = waiting.value();
        if (other == null) {
            return;
        }
        RoutedRef routed = other.routed;
        if (routed != null) {
            if (timestamp >= stuckAt(routed) && !routed.stuckReported) {
                stuck.inc();
                ctx.output(STUCK, stuckTask(routed, stuckAt(routed)));
                out.collect(Attribution.ofStuck(routed, timestamp));
                routed.stuckReported = true;
                waiting.update(other);
                if (forgetAt(routed) > timestamp) {
                    ctx.timerService().registerEventTimeTimer(forgetAt(routed));
                }
            }
            if (timestamp >= forgetAt(routed)) {
                waiting.clear();
            }
        } else if (timestamp >= unmatchedAt(other.span)) {
            emitUnmatched(other.span, ctx, out);
            waiting.clear();
        }
    }

    /** The state of what waits for its other half, one entry per key. */
    static ValueStateDescriptor<JoinInput> waitingState() {
        return new ValueStateDescriptor<>("waiting", TypeInformation.of(JoinInput.class));
    }

    /** Hands the timers of waiting entries to {@code deferred} instead of the timer service. */
    void deferTimersTo(DeferredTimers deferred) {
        this.deferred = deferred;
    }

    /**
     * With the key of a noted timer current, for a note the join has not marked settled: whether the timer
     * must be registered now. The state decides, not the note alone: a state backend other than the
     * heap's holds copies, so the join may have settled a copy of the entry.
     */
    boolean timerStillNeeded(long deadline) throws Exception {
        JoinInput other = waiting.value();
        if (other == null || deadline != deadline(other)) {
            return false;
        }
        other.timerNote = null;
        return true;
    }

    private void setTimer(JoinInput kept, long deadline, Context ctx) {
        // a kept entry is an attempt or a span, whose event time is its own: no record timestamp needed
        kept.timerNote = deferred == null ? null : deferred.defer(ctx.getCurrentKey(), kept.eventTimeMillis(Long.MIN_VALUE), deadline);
        if (kept.timerNote == null) {
            ctx.timerService().registerEventTimeTimer(deadline);
        }
    }

    /** The waiting entry's outcome is decided: its timer goes, or, if only noted so far, will never be registered. */
    private void settle(JoinInput matched, Context ctx) {
        if (matched.timerNote != null) {
            matched.timerNote.settled = true;
            matched.timerNote = null;
        } else {
            ctx.timerService().deleteEventTimeTimer(deadline(matched));
        }
    }

    /** The one timer a waiting entry has: stuck, then forget, for a routed attempt; unmatched for a span. */
    long deadline(JoinInput waitingEntry) {
        RoutedRef routed = waitingEntry.routed;
        if (routed != null) {
            return routed.stuckReported ? forgetAt(routed) : stuckAt(routed);
        }
        return unmatchedAt(waitingEntry.span);
    }

    /** A matched pair: attributed, unless the span can no longer count in any window (then it leaves whole as late). */
    private void attribute(RoutedRef routed, ResultSpan span, Context ctx, Collector<Attribution> out) {
        if (isTooLate(span, ctx)) {
            emitLate(span, ctx);
        } else {
            emitMatch(routed, span, out);
        }
    }

    private boolean isTooLate(ResultSpan span, Context ctx) {
        return windows.isTooLate(endedAt(span), ctx.timerService().currentWatermark());
    }

    private void emitLate(ResultSpan span, Context ctx) {
        late.inc();
        ctx.output(LATE, span);
    }

    private void emitMatch(RoutedRef routed, ResultSpan span, Collector<Attribution> out) {
        // the attribution carries the span's end as its event time; the windows are chosen from it
        matched.inc();
        out.collect(Attribution.ofSpan(routed, span, frontier.costMicros(span)));
    }

    private void emitUnmatched(ResultSpan span, Context ctx, Collector<Attribution> out) {
        unmatched.inc();
        ctx.output(UNMATCHED, span);
        Attribution attribution = Attribution.ofUnmatched(span, frontier.costMicros(span));
        // counted when it is declared unmatched, which is the event time of this output
        attribution.eventTimeMillis = ctx.timestamp();
        out.collect(attribution);
    }

    private long stuckAt(RoutedRef routed) {
        return routed.routedAtMillis + stuckAfterMillis;
    }

    private long forgetAt(RoutedRef routed) {
        return routed.routedAtMillis + joinBoundMillis;
    }

    private long unmatchedAt(ResultSpan span) {
        return endedAt(span) + joinBoundMillis;
    }

    private static long endedAt(ResultSpan span) {
        return span.getEndedAt().toEpochMilli();
    }

    private static StuckTask stuckTask(RoutedRef routed, long declaredAt) {
        return StuckTask.newBuilder()
                .setTaskId(routed.taskId)
                .setAttempt(routed.attempt)
                .setRunId(routed.runId)
                .setRole(routed.role)
                .setTaskType(routed.taskType)
                .setTenant(routed.tenant)
                .setTier(routed.tier)
                .setModel(routed.model)
                .setRule(RoutingRule.valueOf(routed.rule))
                .setRoutedAt(Instant.ofEpochMilli(routed.routedAtMillis))
                .setDeclaredStuckAt(Instant.ofEpochMilli(declaredAt))
                .build();
    }
}
