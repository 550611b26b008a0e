package dev.tierflow.worker.app;

import static dev.tierflow.config.CommonOptions.putIfSet;

import dev.tierflow.config.CommonOptions;
import dev.tierflow.config.EnvironmentConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        return EnvironmentConfig.layered(WorkerSettings.defaults(), common.configFile(), environment, flags);
    }

    @Override
    public Integer call() throws InterruptedException {
        WorkerApp app = WorkerApp.start(WorkerSettings.from(configuration()), environment);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C: finish or abort the batch in progress, so no half-done transaction is left open.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "tierflow-worker-shutdown"));
        stopped.await();
        return 0;
    }
}
