package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.AttributionKind;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Adds each attribution, in memory, to the pane of its combination of dimensions; when the watermark
 * passes a pane's end, before every checkpoint barrier and at the end of input, fans each combination out
 * to its scopes ({@link Scopes}) and sends one pane per scope on (partial totals, merged downstream). The
 * shuffle by scope and the pane windows then see a few partial panes per scope and slide instead of four
 * records per span, and a span costs one lookup and one addition here, not one per scope.
 *
 * <p>Holds nothing across a checkpoint (everything is sent before the barrier), so it has no state to
 * restore: after a failure the source replays what these buffers held. An attribution for a pane the
 * watermark has already passed (late) is sent at once, so its windows fire again without waiting.
 */
public class ScopePreAggregator extends AbstractStreamOperator<Pane> implements OneInputStreamOperator<Attribution, Pane> {

    private final long slide;

    private transient Map<Combination, Buffered> buffered;
    private transient long watermark;

    /**
     * What decides an attribution's scopes, in one pane: role, type, tier and tenant; for an unmatched
     * span, its model only. The kind is not part of it otherwise: a stuck attempt counts in the same scopes.
     */
    private record Combination(long paneStart, boolean unmatched, String role, String taskType, String tier, String tenant, String model) {

        static Combination of(Attribution a, long paneStart) {
            return a.kind == AttributionKind.UNMATCHED
                    ? new Combination(paneStart, true, null, null, null, null, a.model)
                    : new Combination(paneStart, false, a.role, a.taskType, a.tier, a.tenant, null);
        }
    }

    /** A combination's totals, with its first attribution to fan them out by. */
    private record Buffered(Attribution first, StatsAccumulator totals) {
    }

    private record PaneOfScope(String scope, long start) {
    }

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
        if (paneStart + slide - 1 <= watermark) {
            Scopes.forEachScope(attribution, (scope, role, taskType, tier, tenant, model) -> {
                StatsAccumulator totals = StatsAccumulator.of(scope, role, taskType, tier, tenant, model);
                totals.add(attribution);
                emit(scope, paneStart, totals);
            });
            return;
        }
        buffered.computeIfAbsent(Combination.of(attribution, paneStart), combination -> new Buffered(attribution, new StatsAccumulator()))
                .totals.add(attribution);
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

    /** Sends every buffered pane that ends at or before {@code upTo} (+1 ms), one per scope. */
    private void flush(long upTo) {
        Map<PaneOfScope, StatsAccumulator> panes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<Combination, Buffered>> combinations = buffered.entrySet().iterator(); combinations.hasNext(); ) {
            Map.Entry<Combination, Buffered> combination = combinations.next();
            long paneStart = combination.getKey().paneStart();
            if (upTo != Long.MAX_VALUE && paneStart + slide - 1 > upTo) {
                continue;
            }
            StatsAccumulator totals = combination.getValue().totals();
            Scopes.forEachScope(combination.getValue().first(), (scope, role, taskType, tier, tenant, model) ->
                    panes.computeIfAbsent(new PaneOfScope(scope, paneStart), pane -> StatsAccumulator.of(scope, role, taskType, tier, tenant, model))
                            .merge(totals));
            combinations.remove();
        }
        panes.forEach((pane, totals) -> emit(pane.scope(), pane.start(), totals));
    }

    private void emit(String scope, long paneStart, StatsAccumulator totals) {
        // stamped inside the pane, so the pane windows downstream put it in its pane
        output.collect(new StreamRecord<>(new Pane(scope, paneStart, totals), paneStart));
    }
}
