package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** One copy of an attribution per scope it counts in (see {@link Scopes}). */
public class ScopeFanOut implements FlatMapFunction<Attribution, Attribution> {

    @Override
    public void flatMap(Attribution attribution, Collector<Attribution> out) {
        Scopes.fanOut(attribution, out);
    }
}
