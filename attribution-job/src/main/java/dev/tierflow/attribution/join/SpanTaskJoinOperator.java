package dev.tierflow.attribution.join;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.NotedTimer;
import java.time.Duration;
import java.util.ArrayDeque;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs {@link SpanTaskJoin} with its timers deferred. Nearly every attempt is matched long before its
 * stuck or unmatched deadline (minutes ahead in event time), yet registering and then deleting a timer
 * for each one was close to a third of the join's work in a profile.
 *
 * <p>Here a waiting entry's timer is first only noted, in a queue in the order of the watermark it was
 * noted at. A note is taken from the queue once the watermark is {@link #SETTLE_GRACE} past that, or
 * before a checkpoint barrier; by then the entry is usually settled and the note is dropped, else its
 * timer is registered. A timer is noted only if its deadline is more than the grace ahead of the
 * watermark, so the watermark can never pass a timer that is still only noted; and every checkpoint holds
 * a timer for every waiting entry, so a restore, which starts with nothing noted, loses none.
 */
public final class SpanTaskJoinOperator extends KeyedProcessOperator<String, JoinInput, Attribution> {

    private static final long serialVersionUID = 1L;

    /** Event time a noted timer waits for its entry to settle: about when both halves of an attempt have come. */
    static final Duration SETTLE_GRACE = Duration.ofMinutes(1);

    /** The name under which {@link KeyedProcessOperator} creates the function's timer service. */
    private static final String FUNCTION_TIMERS = "user-timers";

    private final long graceMillis = SETTLE_GRACE.toMillis();

    private transient ArrayDeque<NotedTimer> notes;
    private transient InternalTimerService<VoidNamespace> timers;

    public SpanTaskJoinOperator(SpanTaskJoin join) {
        super(join);
    }

    private SpanTaskJoin join() {
        return (SpanTaskJoin) userFunction;
    }

    @Override
    public void open() throws Exception {
        super.open();
        notes = new ArrayDeque<>();
        timers = getInternalTimerService(FUNCTION_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        join().deferTimersTo(this::note);
    }

    private NotedTimer note(String key, long deadline) {
        long watermark = timers.currentWatermark();
        if (deadline - graceMillis <= watermark) {
            return null;
        }
        NotedTimer note = new NotedTimer(key, deadline, watermark);
        notes.addLast(note);
        return note;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        // every note still queued afterwards was noted after watermark - grace, so its deadline is ahead of watermark
        registerNotedUpTo(watermark == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(Long.MIN_VALUE + graceMillis, watermark) - graceMillis);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        registerNotedUpTo(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    /** Takes every note noted at or before {@code watermark} from the queue, registering the timers still needed. */
    private void registerNotedUpTo(long watermark) throws Exception {
        while (!notes.isEmpty() && notes.peekFirst().notedAtWatermark <= watermark) {
            NotedTimer note = notes.pollFirst();
            // an entry the join has settled since (the usual case) costs no state lookup
            if (!note.settled) {
                setCurrentKey(note.key);
                if (join().timerStillNeeded(note.deadline)) {
                    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, note.deadline);
                }
            }
        }
    }
}
