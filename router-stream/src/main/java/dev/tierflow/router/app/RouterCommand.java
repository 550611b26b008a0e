package dev.tierflow.router.app;

import static dev.tierflow.config.CommonOptions.putIfSet;

import dev.tierflow.config.CommonOptions;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tierflow-router}: runs the router until SIGTERM or Ctrl-C, or validates a policy file. */
@Command(name = "tierflow-router", mixinStandardHelpOptions = true,
        description = "Routes tasks from 'tasks' to 'tasks.<tier>' by policy; bad input goes to 'tasks.dlq'.",
        footer = {"", "Configuration layers: defaults < --config file < environment (KAFKA_*, APICURIO_REGISTRY_*,",
                "TIERFLOW_ROUTER_*) < flags. Any Kafka Streams, client or security property can be given with -D."})
public final class RouterCommand implements Callable<Integer> {

    @Option(names = "--policy", description = "Policy YAML file (tierflow.router.policy.file).")
    Path policyFile;

    @Option(names = "--prices", description = "Price catalog YAML the workers use (tierflow.router.prices.file); live overrides naming a model without a price are rejected.")
    Path pricesFile;

    @Option(names = "--application-id", description = "Kafka Streams application.id; instances sharing it share the work.")
    String applicationId;

    @Option(names = "--metrics-port", description = "Prometheus endpoint port; 0 = any free port, -1 = off (tierflow.router.metrics.port).")
    Integer metricsPort;

    @Option(names = "--metrics-host", description = "Address the metrics endpoint binds (tierflow.router.metrics.host, default 127.0.0.1; 0.0.0.0 for a scraper elsewhere).")
    String metricsHost;

    @Option(names = "--create-topics", negatable = true, description = "Create missing topics at start (default: true).")
    Boolean createTopics;

    @Option(names = "--validate-only", description = "Validate the policy file, print it, and exit.")
    boolean validateOnly;

    @Mixin
    CommonOptions common = new CommonOptions();

    private final Map<String, String> environment;

    public RouterCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterCommand(System.getenv())).execute(args));
    }

    /** The layered configuration these flags give. */
    Properties configuration() {
        Properties flags = common.flags();
        putIfSet(flags, RouterSettings.POLICY_FILE, policyFile);
        putIfSet(flags, RouterSettings.PRICES_FILE, pricesFile);
        putIfSet(flags, "application.id", applicationId);
        putIfSet(flags, RouterSettings.METRICS_PORT, metricsPort);
        putIfSet(flags, RouterSettings.METRICS_HOST, metricsHost);
        putIfSet(flags, RouterSettings.CREATE_TOPICS, createTopics);
        return RouterConfigLoader.load(common.configFile(), environment, flags);
    }

    @Override
    public Integer call() throws InterruptedException {
        Properties configuration = configuration();
        if (validateOnly) {
            // the policy file alone; the price catalog too when one is given
            String policyPath = configuration.getProperty(RouterSettings.POLICY_FILE);
            if (policyPath == null || policyPath.isBlank()) {
                throw new IllegalArgumentException(RouterSettings.POLICY_FILE + " is required (--policy)");
            }
            RoutingPolicy policy = PolicyLoader.load(Path.of(policyPath));
            System.out.println(PolicySummary.describe(policy));
            String pricesPath = configuration.getProperty(RouterSettings.PRICES_FILE);
            if (pricesPath != null && !pricesPath.isBlank()) {
                System.out.println("prices " + PriceCatalog.load(Path.of(pricesPath)).version() + " are valid");
            }
            return 0;
        }
        RouterSettings settings = RouterSettings.from(configuration);
        CountDownLatch stopped = new CountDownLatch(1);
        RouterApp app = RouterApp.start(settings);
        // SIGTERM and Ctrl-C run shutdown hooks: close Streams cleanly so the open transaction is aborted, not left hanging.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "tierflow-router-shutdown"));
        stopped.await();
        return 0;
    }
}
