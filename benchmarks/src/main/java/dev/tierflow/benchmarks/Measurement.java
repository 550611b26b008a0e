package dev.tierflow.benchmarks;

/** What one child app did between its first observed progress and its last offset. */
record Measurement(long records, double seconds, double childCores, double benchCores, long peakRssKb) {

    double recordsPerSecond() {
        return records / seconds;
    }

    double peakRssMb() {
        return peakRssKb / 1024.0;
    }

    double childCpuMicrosPerRecord() {
        return childCores * seconds * 1e6 / records;
    }
}
