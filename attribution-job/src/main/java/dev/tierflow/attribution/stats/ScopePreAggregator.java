package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
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

    public ScopePreAggregator(long slideMillis) {
        this.slide = slideMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffered = new HashMap<>();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<Attribution> record) {
        Attribution attribution = record.getValue();
        long paneStart = attribution.eventTimeMillis - Math.floorMod(attribution.eventTimeMillis, slide);
        boolean late = paneStart + slide - 1 <= watermark;
        Scopes.forEachScope(attribution, (scope, role, taskType, tier, tenant, model) -> {
            StatsAccumulator totals = late ? new StatsAccumulator()
                    : buffered.computeIfAbsent(scope, s -> new HashMap<>()).computeIfAbsent(paneStart, start -> new StatsAccumulator());
            totals.add(attribution, scope, role, taskType, tier, tenant, model);
            if (late) {
                emit(scope, paneStart, totals);
            }
        });
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
