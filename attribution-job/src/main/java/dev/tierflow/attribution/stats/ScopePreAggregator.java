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

    private transient Map<Combination, StatsAccumulator> buffered;
    private transient long watermark;

    /** An attribution's dimensions in one pane: all that decides its scopes ({@link Scopes}). */
    private record Combination(long paneStart, boolean unmatched, String role, String taskType, String tier, String tenant, String model) {

        static Combination of(Attribution a, long paneStart) {
            return new Combination(paneStart, a.kind == AttributionKind.UNMATCHED, a.role, a.taskType, a.tier, a.tenant, a.model);
        }
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
                StatsAccumulator totals = new StatsAccumulator();
                totals.add(attribution, scope, role, taskType, tier, tenant, model);
                emit(scope, paneStart, totals);
            });
            return;
        }
        buffered.computeIfAbsent(Combination.of(attribution, paneStart), combination -> new StatsAccumulator()).add(attribution);
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
        if (buffered.isEmpty()) {
            return;
        }
        Map<PaneOfScope, StatsAccumulator> panes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<Combination, StatsAccumulator>> combinations = buffered.entrySet().iterator(); combinations.hasNext(); ) {
            Map.Entry<Combination, StatsAccumulator> entry = combinations.next();
            Combination combination = entry.getKey();
            if (upTo != Long.MAX_VALUE && combination.paneStart() + slide - 1 > upTo) {
                continue;
            }
            Scopes.forEachScope(combination.unmatched(), combination.role(), combination.taskType(), combination.tier(), combination.tenant(),
                    combination.model(), (scope, role, taskType, tier, tenant, model) ->
                            panes.computeIfAbsent(new PaneOfScope(scope, combination.paneStart()),
                                    pane -> StatsAccumulator.of(scope, role, taskType, tier, tenant, model)).merge(entry.getValue()));
            combinations.remove();
        }
        panes.forEach((pane, totals) -> emit(pane.scope(), pane.start(), totals));
    }

    private void emit(String scope, long paneStart, StatsAccumulator totals) {
        // stamped inside the pane, so the pane windows downstream put it in its pane
        output.collect(new StreamRecord<>(new Pane(scope, paneStart, totals), paneStart));
    }
}
