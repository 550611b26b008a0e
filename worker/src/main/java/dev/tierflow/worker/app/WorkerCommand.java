package dev.tierflow.worker.app;

import static dev.tierflow.config.CommonOptions.putIfSet;

import dev.tierflow.config.CommonOptions;
import dev.tierflow.config.EnvironmentConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tierflow-worker}: runs one tier's worker until SIGTERM or Ctrl-C. */
@Command(name = "tierflow-worker", mixinStandardHelpOptions = true,
        description = "Runs the tasks of one tier: calls its model with the budget, checks, escalates, emits result spans.",
        footer = {"", "Configuration layers: defaults < --config file < environment (KAFKA_*, APICURIO_REGISTRY_*,",
                "TIERFLOW_*) < flags. Any Kafka client or security property can be given with -D."})
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--tier", description = "The tier to work for (tierflow.worker.tier).")
    String tier;

    @Option(names = "--policy", description = "Policy YAML (tierflow.worker.policy.file).")
    Path policyFile;

    @Option(names = "--prices", description = "Price catalog YAML (tierflow.worker.prices.file).")
    Path pricesFile;

    @Option(names = "--concurrency", description = "Model calls in flight at once (tierflow.worker.concurrency, default 16).")
    Integer concurrency;

    @Option(names = "--metrics-port", description = "Port of /metrics and /health; 0 = any free port, -1 = off "
            + "(tierflow.worker.metrics.port, default " + WorkerSettings.COMMAND_METRICS_PORT + ").")
    Integer metricsPort;

    @Option(names = "--metrics-host", description = "Address /metrics and /health bind (tierflow.worker.metrics.host, default 127.0.0.1).")
    String metricsHost;

    @Mixin
    CommonOptions common = new CommonOptions();

    private final Map<String, String> environment;

    public WorkerCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerCommand(System.getenv())).execute(args));
    }

    Properties configuration() {
        Properties flags = common.flags();
        putIfSet(flags, WorkerSettings.TIER, tier);
        putIfSet(flags, WorkerSettings.POLICY_FILE, policyFile);
        putIfSet(flags, WorkerSettings.PRICES_FILE, pricesFile);
        putIfSet(flags, WorkerSettings.CONCURRENCY, concurrency);
        putIfSet(flags, WorkerSettings.METRICS_PORT, metricsPort);
        putIfSet(flags, WorkerSettings.METRICS_HOST, metricsHost);
        Properties defaults = WorkerSettings.defaults();
        defaults.setProperty(WorkerSettings.METRICS_PORT, Integer.toString(WorkerSettings.COMMAND_METRICS_PORT));
        return EnvironmentConfig.layered(defaults, common.configFile(), environment, flags);
    }

    /**
     * Runs until SIGTERM/Ctrl-C (exit 0 after a clean stop) or until the worker's loop dies (exit 1, so that a
     * supervisor restarts the process instead of leaving it up and doing nothing).
     */
    @Override
    public Integer call() throws InterruptedException {
        WorkerApp app = WorkerApp.start(WorkerSettings.from(configuration()), environment);
        // SIGTERM and Ctrl-C: let the calls in flight finish and commit, so no half-done transaction is left open.
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "tierflow-worker-shutdown"));
        return exitCode(app);
    }

    /** Waits for the worker's loop to end: 0 when it was stopped, 1 when it could not go on. */
    static int exitCode(WorkerApp app) throws InterruptedException {
        app.awaitTermination();
        return app.failure() == null ? 0 : 1;
    }
}
