package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds a scope's attributions into one {@link StatsAccumulator} per window, incrementally. */
public class StatsAggregate implements AggregateFunction<Attribution, StatsAccumulator, StatsAccumulator> {

    @Override
    public StatsAccumulator createAccumulator() {
        return new StatsAccumulator();
    }

    @Override
    public StatsAccumulator add(Attribution value, StatsAccumulator accumulator) {
        accumulator.add(value);
        return accumulator;
    }

    @Override
    public StatsAccumulator getResult(StatsAccumulator accumulator) {
        return accumulator;
    }

    @Override
    public StatsAccumulator merge(StatsAccumulator a, StatsAccumulator b) {
        return a.merge(b);
    }
}
