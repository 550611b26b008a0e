package dev.tierflow.attribution.join;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.JoinInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs {@link SpanTaskJoin} with its timers deferred. Nearly every attempt is matched long before its
 * stuck or unmatched deadline (minutes ahead in event time), yet registering and then deleting a timer
 * for each one was a quarter of the join's work. Here a waiting attempt's timer is only noted in memory,
 * by the second of its deadline, and registered when the watermark reaches that second, or before a
 * checkpoint barrier, and only if the attempt is still waiting by then. Timers therefore exist before
 * the watermark can pass them, and every checkpoint holds a timer for every waiting attempt, so a restore
 * (which starts with nothing noted) loses none.
 */
public final class SpanTaskJoinOperator extends KeyedProcessOperator<String, JoinInput, Attribution> {

    private static final long serialVersionUID = 1L;

    private record Noted(String key, long deadline) {
    }

    private transient TreeMap<Long, List<Noted>> notedBySecond;
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
        notedBySecond = new TreeMap<>();
        // the same service the function's timers use (the operator's, by name)
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        join().deferTimersTo((key, deadline) -> notedBySecond.computeIfAbsent(Math.floorDiv(deadline, 1000L), second -> new ArrayList<>())
                .add(new Noted(key, deadline)));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        registerNoted(Math.floorDiv(mark.getTimestamp(), 1000L));
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        registerNoted(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    /** Registers the noted timers of every second up to {@code lastSecond} whose attempt still waits. */
    private void registerNoted(long lastSecond) throws Exception {
        while (!notedBySecond.isEmpty() && notedBySecond.firstKey() <= lastSecond) {
            Map.Entry<Long, List<Noted>> second = notedBySecond.pollFirstEntry();
            for (Noted noted : second.getValue()) {
                setCurrentKey(noted.key());
                if (join().timerStillNeeded(noted.deadline())) {
                    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, noted.deadline());
                }
            }
        }
    }
}
