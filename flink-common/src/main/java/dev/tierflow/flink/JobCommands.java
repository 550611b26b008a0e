package dev.tierflow.flink;

import org.apache.flink.configuration.Configuration;

/** What the Flink jobs' command-line entry points share. */
public final class JobCommands {

    private JobCommands() {
    }

    /**
     * Flink settings for a local run: Flink's Prometheus reporter on {@code prometheusPort} when one is
     * given. On a cluster the cluster's own configuration applies.
     */
    public static Configuration localConfiguration(Integer prometheusPort) {
        Configuration flink = new Configuration();
        if (prometheusPort != null) {
            flink.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            flink.setString("metrics.reporter.prom.port", prometheusPort.toString());
        }
        return flink;
    }

    /** Ends a job's {@code main}: a non-zero exit inside a cluster's JobManager would take it down, so the submission fails instead. */
    public static void failUnlessZero(String jobName, int exitCode) {
        if (exitCode != 0) {
            throw new IllegalStateException(jobName + " failed to start (exit code " + exitCode + "), see the messages above");
        }
    }
}
