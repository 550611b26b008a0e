package dev.tierflow.attribution.stats;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Labels a pane's totals with its scope and start; fires again, whole, when late data changes them. */
public class PaneFunction extends ProcessWindowFunction<StatsAccumulator, Pane, String, TimeWindow> {

    @Override
    public void process(String scope, Context context, Iterable<StatsAccumulator> totals, Collector<Pane> out) {
        for (StatsAccumulator paneTotals : totals) {
            out.collect(new Pane(scope, context.window().getStart(), paneTotals));
        }
    }
}
