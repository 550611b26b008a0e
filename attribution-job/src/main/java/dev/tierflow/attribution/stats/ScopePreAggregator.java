package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Fans each attribution out to its scopes and adds it, in memory, to its scope's pane; sends the panes
 * on (partial totals, merged downstream) when the watermark passes their end, before every checkpoint
 * barrier and at the end of input. The shuffle by scope and the pane windows then see a few partial
 * panes per scope and slide instead of four records per span.
 *
 * <p>Holds nothing across a checkpoint (everything is sent before the barrier), so it has no state to
 * restore: after a failure the source replays what these buffers held. An attribution for a pane the
 * watermark has already passed (late) is sent at once, so its windows fire again without waiting.
 */
public class ScopePreAggregator extends AbstractStreamOperator<Pane> implements OneInputStreamOperator<Attribution, Pane> {

    private final long slide;

    private transient Map<String, Map<Long, StatsAccumulator>> buffered;
    private transient long watermark;
    private transient List<Attribution> scoped;
    private transient ListCollector<Attribution> fanOut;

    public ScopePreAggregator(long slideMillis) {
        this.slide = slideMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffered = new HashMap<>();
        watermark = Long.MIN_VALUE;
        scoped = new ArrayList<>(4);
        fanOut = new ListCollector<>(scoped);
    }

    @Override
    public void processElement(StreamRecord<Attribution> record) {
        Attribution attribution = record.getValue();
        long paneStart = attribution.eventTimeMillis - Math.floorMod(attribution.eventTimeMillis, slide);
        boolean late = paneStart + slide - 1 <= watermark;
        scoped.clear();
        Scopes.fanOut(attribution, fanOut);
        for (Attribution inScope : scoped) {
            if (late) {
                StatsAccumulator single = new StatsAccumulator();
                single.add(inScope);
                emit(inScope.scope, paneStart, single);
            } else {
                buffered.computeIfAbsent(inScope.scope, scope -> new HashMap<>())
                        .computeIfAbsent(paneStart, start -> new StatsAccumulator())
                        .add(inScope);
            }
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        flush(watermark);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) {
        flush(Long.MAX_VALUE);
    }

    @Override
    public void finish() throws Exception {
        flush(Long.MAX_VALUE);
        super.finish();
    }

    /** Sends every buffered pane that ends at or before {@code upTo} (+1 ms), oldest first per scope. */
    private void flush(long upTo) {
        for (Iterator<Map.Entry<String, Map<Long, StatsAccumulator>>> scopes = buffered.entrySet().iterator(); scopes.hasNext(); ) {
            Map.Entry<String, Map<Long, StatsAccumulator>> scope = scopes.next();
            for (Iterator<Map.Entry<Long, StatsAccumulator>> panes = scope.getValue().entrySet().iterator(); panes.hasNext(); ) {
                Map.Entry<Long, StatsAccumulator> pane = panes.next();
                if (upTo == Long.MAX_VALUE || pane.getKey() + slide - 1 <= upTo) {
                    emit(scope.getKey(), pane.getKey(), pane.getValue());
                    panes.remove();
                }
            }
            if (scope.getValue().isEmpty()) {
                scopes.remove();
            }
        }
    }

    private void emit(String scope, long paneStart, StatsAccumulator totals) {
        // stamped inside the pane, so the pane windows downstream put it in its pane
        output.collect(new StreamRecord<>(new Pane(scope, paneStart, totals), paneStart));
    }
}
