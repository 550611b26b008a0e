package dev.tierflow.local;

import dev.tierflow.alerting.app.AlertingPipeline;
import dev.tierflow.alerting.app.AlertingSettings;
import dev.tierflow.attribution.app.AttributionPipeline;
import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterConfigLoader;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.policy.Tier;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import dev.tierflow.config.http.HttpBinding;

/**
 * The whole pipeline against a broker and registry, in this JVM: the router, a worker per tier (simulated
 * unless the policy or the caller says otherwise), and the attribution and alerting jobs on Flink (a local
 * MiniCluster, or the test's). Shared by the closed-loop test, the feedback-loop benchmark, the demo and replay.
 */
public final class Pipeline implements AutoCloseable {

    /**
     * @param attribution {@code tierflow.attribution.*} settings over the job's defaults (e.g. shorter windows)
     * @param alerting    {@code tierflow.alerting.*} settings over the job's defaults
     * @param routerMetricsPort -1 for none
     */
    public record Options(String bootstrapServers, String registryUrl, Path policyFile, Path pricesFile, Path dataDir,
                          int topicPartitions, int routerMetricsPort, Map<String, String> attribution, Map<String, String> alerting) {
    }

    private final List<AutoCloseable> parts;
    private final RouterApp router;
    private final Workers workers;

    private Pipeline(List<AutoCloseable> parts, RouterApp router, Workers workers) {
        this.parts = parts;
        this.router = router;
        this.workers = workers;
    }

    public static Pipeline start(Options options) throws Exception {
        return start(options, null, true);
    }

    /**
     * @param backendFor each tier's model backend; null: the one the tier's {@code backend} section names
     * @param liveAttribution false to leave the attribution job out, for a run that attributes once it is
     *                        over ({@link #attributeToTheEnd})
     */
    static Pipeline start(Options options, Function<Tier, ModelBackend> backendFor, boolean liveAttribution) throws Exception {
        RoutingPolicy policy = PolicyLoader.load(options.policyFile());
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            RouterApp router = RouterApp.start(RouterSettings.from(routerConfig(options)));
            parts.add(router);
            Workers workers = Workers.start(policy, options.bootstrapServers(), options.registryUrl(), options.policyFile(),
                    options.pricesFile(), options.topicPartitions(), backendFor);
            parts.add(workers);
            if (liveAttribution) {
                parts.add(cancelOnClose(startAttribution(options, Map.of())));
            }
            parts.add(startAlerting(options));
            return new Pipeline(parts, router, workers);
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
    }

    public RouterApp router() {
        return router;
    }

    /** The simulator of a tier's worker, to degrade and restore at run time. */
    public SimulatedModelBackend simulator(String tier) {
        SimulatedModelBackend simulator = workers.simulator(tier);
        if (simulator == null) {
            throw new IllegalArgumentException("tier '" + tier + "' has no simulated worker");
        }
        return simulator;
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private static Properties routerConfig(Options options) throws IOException {
        return routerConfig(options.bootstrapServers(), options.registryUrl(), options.policyFile(), options.pricesFile(), options.dataDir(),
                options.routerMetricsPort(), options.topicPartitions());
    }

    /** The router's settings in the local stack (also {@code tierflow up}'s): its state under {@code dataDir}. */
    static Properties routerConfig(String bootstrapServers, String registryUrl, Path policyFile, Path pricesFile, Path dataDir, int metricsPort,
                                   int topicPartitions) throws IOException {
        Properties config = RouterConfigLoader.defaults();
        config.setProperty("bootstrap.servers", bootstrapServers);
        config.setProperty(AvroSerdes.REGISTRY_URL, registryUrl);
        config.setProperty("state.dir", Files.createDirectories(dataDir.resolve("streams")).toString());
        config.setProperty(RouterSettings.POLICY_FILE, policyFile.toString());
        config.setProperty(RouterSettings.PRICES_FILE, pricesFile.toString());
        config.setProperty(RouterSettings.METRICS_PORT, Integer.toString(metricsPort));
        config.setProperty(RouterSettings.TOPIC_PARTITIONS, Integer.toString(topicPartitions));
        return config;
    }

    /**
     * Runs the attribution job bounded over everything the topics hold now, and waits for it to finish. A live
     * job closes a window only once later spans move event time past it, so after the last span of a finished
     * run its last windows would never fire; a bounded job fires every window at its end, so its statistics
     * cover every span.
     */
    static void attributeToTheEnd(Options options, Duration timeout) throws Exception {
        JobClient job = startAttribution(options, Map.of(AttributionSettings.BOUNDED, "true"));
        try {
            job.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.cancel().get(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the attribution job did not finish within " + timeout, e);
        }
    }

    private static JobClient startAttribution(Options options, Map<String, String> overrides) throws Exception {
        Properties config = AttributionSettings.defaults();
        config.setProperty("bootstrap.servers", options.bootstrapServers());
        config.setProperty(AvroSerdes.REGISTRY_URL, options.registryUrl());
        config.setProperty(AttributionSettings.POLICY_FILE, options.policyFile().toString());
        config.setProperty(AttributionSettings.PRICES_FILE, options.pricesFile().toString());
        config.setProperty(AttributionSettings.TOPIC_PARTITIONS, Integer.toString(options.topicPartitions()));
        options.attribution().forEach(config::setProperty);
        overrides.forEach(config::setProperty);
        AttributionSettings settings = AttributionSettings.from(config);
        return AttributionPipeline.environment(flinkConfiguration(), settings).executeAsync(AttributionPipeline.JOB_NAME);
    }

    private static AutoCloseable startAlerting(Options options) throws Exception {
        Properties config = AlertingSettings.defaults();
        config.setProperty("bootstrap.servers", options.bootstrapServers());
        config.setProperty(AvroSerdes.REGISTRY_URL, options.registryUrl());
        config.setProperty(AlertingSettings.POLICY_FILE, options.policyFile().toString());
        config.setProperty(AlertingSettings.PRICES_FILE, options.pricesFile().toString());
        config.setProperty(AlertingSettings.TOPIC_PARTITIONS, Integer.toString(options.topicPartitions()));
        options.alerting().forEach(config::setProperty);
        AlertingSettings settings = AlertingSettings.from(config);
        return cancelOnClose(AlertingPipeline.environment(flinkConfiguration(), settings).executeAsync(AlertingPipeline.JOB_NAME));
    }

    /**
     * The local MiniCluster's settings: its REST endpoint (job control, no authentication) listens on the
     * loopback address on a free port, like every other HTTP endpoint of the local stack.
     */
    static Configuration flinkConfiguration() {
        Configuration flink = new Configuration();
        flink.set(RestOptions.BIND_ADDRESS, HttpBinding.LOOPBACK);
        flink.set(RestOptions.ADDRESS, HttpBinding.LOOPBACK);
        flink.set(RestOptions.BIND_PORT, "0");
        return flink;
    }

    private static AutoCloseable cancelOnClose(JobClient job) {
        return () -> job.cancel().get(30, TimeUnit.SECONDS);
    }
}
