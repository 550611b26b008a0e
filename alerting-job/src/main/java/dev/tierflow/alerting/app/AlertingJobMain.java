package dev.tierflow.alerting.app;

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

/** The alerting job jar's entry point; run from a plain JVM it uses a local MiniCluster. */
@Command(name = "tierflow-alerting", mixinStandardHelpOptions = true,
        description = "Flink job: cost-ceiling and quality-floor alerts from the stats, and the policy changes that act on them.",
        footer = {"", "Configuration layers: defaults < --config file < environment (KAFKA_*, APICURIO_REGISTRY_*,",
                "TIERFLOW_*) < flags. Any Kafka client or security property can be given with -D."})
public final class AlertingJobMain implements Callable<Integer> {

    @Option(names = "--policy", description = "Policy YAML with the alerting rules (tierflow.alerting.policy.file).")
    Path policyFile;

    @Option(names = "--prices", description = "Price catalog YAML the router runs with (tierflow.alerting.prices.file): overrides it rejects are not reasoned from.")
    Path pricesFile;

    @Option(names = "--alert-only", description = "Alert, but never change the policy: a global freeze (tierflow.alerting.actions.enabled=false).")
    boolean alertOnly;

    @Option(names = "--prometheus-port", description = "Local runs: serve Flink's metrics in the Prometheus format on this port.")
    Integer prometheusPort;

    @Mixin
    CommonOptions common = new CommonOptions();

    private final Map<String, String> environment;

    public AlertingJobMain(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        JobCommands.failUnlessZero(AlertingPipeline.JOB_NAME, new CommandLine(new AlertingJobMain(System.getenv())).execute(args));
    }

    Properties configuration() {
        Properties flags = common.flags();
        putIfSet(flags, AlertingSettings.POLICY_FILE, policyFile);
        putIfSet(flags, AlertingSettings.PRICES_FILE, pricesFile);
        if (alertOnly) {
            flags.setProperty(AlertingSettings.ACTIONS_ENABLED, "false");
        }
        return EnvironmentConfig.layered(AlertingSettings.defaults(), common.configFile(), environment, flags);
    }

    Configuration flinkConfiguration() {
        return JobCommands.localConfiguration(prometheusPort);
    }

    @Override
    public Integer call() throws Exception {
        AlertingSettings settings = AlertingSettings.from(configuration());
        AlertingPipeline.environment(flinkConfiguration(), settings).execute(AlertingPipeline.JOB_NAME);
        return 0;
    }
}
