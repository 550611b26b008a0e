package dev.tierflow.attribution.stats;

/** A scope's totals over one slide-long pane of event time, [start, start + slide) (a Flink POJO). */
public class Pane {
    public String scope;
    public long start;
    public StatsAccumulator totals;

    public Pane() {
    }

    public Pane(String scope, long start, StatsAccumulator totals) {
        this.scope = scope;
        this.start = start;
        this.totals = totals;
    }
}
