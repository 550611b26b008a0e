package dev.tierflow.attribution.app;

import static dev.tierflow.config.CommonOptions.putIfSet;

import dev.tierflow.config.CommonOptions;
import dev.tierflow.config.EnvironmentConfig;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
        int exit = new CommandLine(new AttributionJobMain(System.getenv())).execute(args);
        if (exit != 0) {
            // a non-zero exit inside a cluster's JobManager would take it down; fail the submission instead
            throw new IllegalStateException("tierflow-attribution failed to start (exit code " + exit + "), see the messages above");
        }
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
        Configuration flink = new Configuration();
        if (prometheusPort != null) {
            flink.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            flink.setString("metrics.reporter.prom.port", prometheusPort.toString());
        }
        return flink;
    }

    @Override
    public Integer call() throws Exception {
        AttributionSettings settings = AttributionSettings.from(configuration());
        RoutingPolicy policy = PolicyLoader.load(settings.policyFile());
        PriceCatalog prices = PriceCatalog.load(settings.pricesFile());
        AttributionPipeline.ensureTopics(settings, policy);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration());
        env.setParallelism(settings.parallelism());
        AttributionPipeline.attach(env, settings, policy, prices);
        // blocks on a local MiniCluster; on a cluster (REST /jars/run, flink run -d) it returns once submitted
        env.execute(AttributionPipeline.JOB_NAME);
        return 0;
    }
}
