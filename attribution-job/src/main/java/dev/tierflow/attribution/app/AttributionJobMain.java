package dev.tierflow.attribution.app;

import static dev.tierflow.config.CommonOptions.putIfSet;

import dev.tierflow.config.CommonOptions;
import dev.tierflow.config.EnvironmentConfig;
import dev.tierflow.flink.JobCommands;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The job jar's entry point. On a Flink cluster ({@code flink run} or the REST API) the environment is
 * the cluster's; run from a plain JVM it is a local MiniCluster.
 */
@Command(name = "tierflow-attribution", mixinStandardHelpOptions = true,
        description = "Flink job: joins result spans to routed tasks and writes rolling cost and quality per role, type, tier and tenant.",
        footer = {"", "Configuration layers: defaults < --config file < environment (KAFKA_*, APICURIO_REGISTRY_*,",
                "TIERFLOW_*) < flags. Any Kafka client or security property can be given with -D."})
public final class AttributionJobMain implements Callable<Integer> {

    @Option(names = "--policy", description = "Policy YAML: the tiers, and the frontier tier for the counterfactual (tierflow.attribution.policy.file).")
    Path policyFile;

    @Option(names = "--prices", description = "Price catalog YAML (tierflow.attribution.prices.file).")
    Path pricesFile;

    @Option(names = "--window-size", description = "Sliding window size, e.g. '5 min' (tierflow.attribution.window.size).")
    String windowSize;

    @Option(names = "--window-slide", description = "Sliding window slide, e.g. '30 s' (tierflow.attribution.window.slide).")
    String windowSlide;

    @Option(names = "--parallelism", description = "Job parallelism (tierflow.attribution.parallelism, default 1).")
    Integer parallelism;

    @Option(names = "--otlp", description = "Also read OTLP spans from otlp_spans (tierflow.attribution.otlp.enabled).")
    Boolean otlp;

    @Option(names = "--prometheus-port", description = "Local runs: serve Flink's metrics (the job's included) in the Prometheus "
            + "format on this port. On a cluster, the cluster's reporter configuration applies.")
    Integer prometheusPort;

    @Mixin
    CommonOptions common = new CommonOptions();

    private final Map<String, String> environment;

    public AttributionJobMain(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        JobCommands.failUnlessZero(AttributionPipeline.JOB_NAME, new CommandLine(new AttributionJobMain(System.getenv())).execute(args));
    }

    Properties configuration() {
        Properties flags = common.flags();
        putIfSet(flags, AttributionSettings.POLICY_FILE, policyFile);
        putIfSet(flags, AttributionSettings.PRICES_FILE, pricesFile);
        putIfSet(flags, AttributionSettings.WINDOW_SIZE, windowSize);
        putIfSet(flags, AttributionSettings.WINDOW_SLIDE, windowSlide);
        putIfSet(flags, AttributionSettings.PARALLELISM, parallelism);
        putIfSet(flags, AttributionSettings.OTLP_ENABLED, otlp);
        return EnvironmentConfig.layered(AttributionSettings.defaults(), common.configFile(), environment, flags);
    }

    /** Flink settings for a local run; a cluster keeps its own. */
    Configuration flinkConfiguration() {
        return JobCommands.localConfiguration(prometheusPort);
    }

    @Override
    public Integer call() throws Exception {
        AttributionSettings settings = AttributionSettings.from(configuration());
        // blocks on a local MiniCluster; on a cluster (REST /jars/run, flink run -d) it returns once submitted
        AttributionPipeline.environment(flinkConfiguration(), settings).execute(AttributionPipeline.JOB_NAME);
        return 0;
    }
}
