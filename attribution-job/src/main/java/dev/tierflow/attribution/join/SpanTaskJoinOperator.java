package dev.tierflow.attribution.join;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.model.NotedTimer;
import java.time.Duration;
import java.util.ArrayDeque;
import org.apache.flink.runtime.state.StateInitializationContext;
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
 * <p>Here a waiting entry's timer is first only noted, in a queue, due {@link #SETTLE_GRACE} after the
 * entry's own event time: once the watermark has passed that, every input has read past it, so the other
 * half has come unless it is unusually slow. A due note is dropped if its entry has settled (the usual
 * case), else its timer is registered. Dues never decrease along the queue (a note is due no earlier than
 * the one before it), and a timer is noted only if it is due before its deadline, so the watermark cannot
 * pass a timer that is still only noted.
 *
 * <p>Notes are not checkpointed: a checkpoint holds the timers registered so far, and a restore registers
 * the timer of every entry still waiting in the state, so none is lost and a barrier costs nothing here.
 */
public final class SpanTaskJoinOperator extends KeyedProcessOperator<String, JoinInput, Attribution> {

    private static final long serialVersionUID = 1L;

    /** Event time after its own that a waiting entry's timer is noted for: about when its other half has come. */
    static final Duration SETTLE_GRACE = Duration.ofMinutes(1);

    /** The name under which {@link KeyedProcessOperator} creates the function's timer service. */
    private static final String FUNCTION_TIMERS = "user-timers";

    private static final long GRACE_MILLIS = SETTLE_GRACE.toMillis();

    private transient boolean restored;
    private transient ArrayDeque<NotedTimer> notes;
    private transient InternalTimerService<VoidNamespace> timers;

    public SpanTaskJoinOperator(SpanTaskJoin join) {
        super(join);
    }

    private SpanTaskJoin join() {
        return (SpanTaskJoin) userFunction;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = context.isRestored();
    }

    @Override
    public void open() throws Exception {
        super.open();
        notes = new ArrayDeque<>();
        timers = getInternalTimerService(FUNCTION_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        join().deferTimersTo(this::note);
        if (restored) {
            registerTimersOfWaitingEntries();
        }
    }

    private NotedTimer note(String key, long waitingSince, long deadline) {
        NotedTimer last = notes.peekLast();
        long due = Math.max(waitingSince + GRACE_MILLIS, last == null ? Long.MIN_VALUE : last.due);
        if (due >= deadline || due <= timers.currentWatermark()) {
            // too near its deadline to wait, or an entry that came a grace behind the watermark: the caller registers it
            return null;
        }
        NotedTimer note = new NotedTimer(key, deadline, due);
        notes.addLast(note);
        return note;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // before the timer service moves on: a note is due before its deadline, so a timer due now still fires in this step
        registerDueNotes(mark.getTimestamp());
        super.processWatermark(mark);
    }

    /** Takes every note due at {@code watermark} from the queue, registering the timers still needed. */
    private void registerDueNotes(long watermark) throws Exception {
        while (!notes.isEmpty() && notes.peekFirst().due <= watermark) {
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

    /** After a restore: the checkpoint holds no notes, so every entry still waiting gets its timer (again: timers are sets). */
    private void registerTimersOfWaitingEntries() throws Exception {
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, SpanTaskJoin.waitingState(),
                (key, waiting) -> timers.registerEventTimeTimer(VoidNamespace.INSTANCE, join().deadline(waiting.value())));
    }
}
