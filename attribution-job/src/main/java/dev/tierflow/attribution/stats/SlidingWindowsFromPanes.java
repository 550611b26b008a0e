package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.WindowSpec;
import dev.tierflow.schemas.CostQualityStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Sliding windows assembled from slide-long panes. A span is added to one pane per scope instead of to
 * every one of the size/slide windows that cover it (ten at 5 min / 30 s): the per-span work, state and
 * timers of the windows shrink by that factor, and each window is the exact merge of its panes, so its
 * sums are the same as a sliding window's.
 *
 * <p>Emits what Flink's sliding windows with allowed lateness would: a window when the watermark passes
 * its end, if any pane in it has data; again when a late pane (fired again by the pane operator) changes
 * it, as long as the window is within its allowed lateness. A pane is kept until the last window
 * containing it is past its lateness, then removed with its timers.
 */
public class SlidingWindowsFromPanes extends KeyedProcessFunction<String, Pane, CostQualityStats> {

    private final long size;
    private final long slide;
    private final long lateness;

    private transient MapState<Long, StatsAccumulator> panes;

    public SlidingWindowsFromPanes(WindowSpec windows) {
        this.size = windows.size().toMillis();
        this.slide = windows.slide().toMillis();
        this.lateness = windows.allowedLateness().toMillis();
        if (size % slide != 0) {
            throw new IllegalArgumentException("window size " + windows.size() + " must be a whole number of slides " + windows.slide());
        }
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getMapState(new MapStateDescriptor<>("panes", Types.LONG, TypeInformation.of(StatsAccumulator.class)));
    }

    @Override
    public void processElement(Pane pane, Context ctx, Collector<CostQualityStats> out) throws Exception {
        panes.put(pane.start, pane.totals);
        long watermark = ctx.timerService().currentWatermark();
        for (long end = pane.start + slide; end <= pane.start + size; end += slide) {
            if (end - 1 > watermark) {
                // not due yet: every window fires from its timer, once, with all its panes
                ctx.timerService().registerEventTimeTimer(end - 1);
            } else if (end - 1 + lateness > watermark) {
                // a late pane: the windows it changes that are still within their lateness fire again
                out.collect(window(ctx.getCurrentKey(), end));
            }
        }
        ctx.timerService().registerEventTimeTimer(cleanupTime(pane.start));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CostQualityStats> out) throws Exception {
        long end = timestamp + 1;
        if (Math.floorMod(end, slide) == 0 && hasPanes(end - size, end)) {
            out.collect(window(ctx.getCurrentKey(), end));
        }
        List<Long> expired = new ArrayList<>();
        for (Long start : panes.keys()) {
            if (cleanupTime(start) <= timestamp) {
                expired.add(start);
            }
        }
        for (Long start : expired) {
            panes.remove(start);
        }
        if (panes.isEmpty()) {
            panes.clear();
        }
    }

    /** When the last window containing the pane is past its allowed lateness. */
    private long cleanupTime(long paneStart) {
        return paneStart + size - 1 + lateness;
    }

    private boolean hasPanes(long from, long to) throws Exception {
        for (Long start : panes.keys()) {
            if (start >= from && start < to) {
                return true;
            }
        }
        return false;
    }

    private CostQualityStats window(String scope, long end) throws Exception {
        StatsAccumulator merged = new StatsAccumulator();
        for (Map.Entry<Long, StatsAccumulator> entry : panes.entries()) {
            if (entry.getKey() >= end - size && entry.getKey() < end) {
                // the stored pane is only read: merging copies its counts into the new totals
                merged.merge(entry.getValue());
            }
        }
        merged.scope = scope;
        return StatsRecords.toStats(merged, new TimeWindow(end - size, end), panes.get(end - slide));
    }
}
