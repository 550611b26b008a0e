package dev.tierflow.attribution.stats;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Merges the partial totals of a scope's pane, sent by the pre-aggregators, into the pane's totals. */
public class PaneMerge implements AggregateFunction<Pane, StatsAccumulator, StatsAccumulator> {

    @Override
    public StatsAccumulator createAccumulator() {
        return new StatsAccumulator();
    }

    @Override
    public StatsAccumulator add(Pane partial, StatsAccumulator totals) {
        return totals.merge(partial.totals);
    }

    @Override
    public StatsAccumulator getResult(StatsAccumulator totals) {
        return totals;
    }

    @Override
    public StatsAccumulator merge(StatsAccumulator a, StatsAccumulator b) {
        return a.merge(b);
    }
}
