package dev.tierflow.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** The per-run table both benches print, and the statistics their summaries take over runs. */
final class ResultTable {

    private final String headerFormat;
    private final String rowFormat;
    private final String rateLabel;

    /** {@code appWidth}: width of the app column; {@code rateLabel}: heading of the throughput column. */
    ResultTable(int appWidth, String rateLabel) {
        this.headerFormat = "%-5s  %-" + appWidth + "s  %9s  %7s  %10s  %10s  %10s  %11s  %12s";
        this.rowFormat = "%-5d  %-" + appWidth + "s  %,9d  %7.2f  %,10.0f  %10.2f  %10.2f  %11.1f  %12.0f";
        this.rateLabel = rateLabel;
    }

    String header() {
        return String.format(Locale.ROOT, headerFormat,
                "round", "app", "records", "seconds", rateLabel, "app cores", "bench cores", "app µs/rec", "peak RSS MB");
    }

    String row(int round, String app, Measurement m) {
        return String.format(Locale.ROOT, rowFormat, round, app, m.records(), m.seconds(), m.recordsPerSecond(), m.childCores(),
                m.benchCores(), m.childCpuMicrosPerRecord(), m.peakRssMb());
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
