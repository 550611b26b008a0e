package dev.tierflow.local;

import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.alerting.app.AlertingSettings;
import dev.tierflow.config.http.HttpBinding;
import dev.tierflow.local.dashboard.DashboardServer;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.local.dashboard.Snapshot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tierflow demo}: the whole stack on this machine with a multi-agent load, a scripted quality
 * drop, a live table, the dashboard, and a summary of the money on exit.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the whole stack (broker, registry, router, simulated workers, attribution and alerting jobs, dashboard) "
                + "under a multi-agent load; mid-run the small tier's quality drops for role worker and the loop acts.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--policy", defaultValue = "examples/demo-policy.yaml", description = "Policy YAML (default: ${DEFAULT-VALUE}).")
    Path policyFile;

    @Option(names = "--prices", defaultValue = "examples/prices.yaml", description = "Price catalog YAML (default: ${DEFAULT-VALUE}).")
    Path pricesFile;

    @Option(names = "--rate", defaultValue = "0.5", description = "Workflow runs per second, each 8-16 tasks (default: ${DEFAULT-VALUE}).")
    double runsPerSecond;

    @Option(names = "--event-at", defaultValue = "PT2M", description = "When the small tier's quality drops for role worker (default: ${DEFAULT-VALUE}).")
    Duration eventAt;

    @Option(names = "--event-drop", defaultValue = "0.5", description = "How much quality the event takes away (default: ${DEFAULT-VALUE}).")
    double eventDrop;

    @Option(names = "--no-event", description = "Run without the scripted event.")
    boolean noEvent;

    @Option(names = "--window-size", defaultValue = "1 min", description = "Attribution window size (default: ${DEFAULT-VALUE}; demo speed).")
    String windowSize;

    @Option(names = "--window-slide", defaultValue = "10 s", description = "Attribution window slide (default: ${DEFAULT-VALUE}).")
    String windowSlide;

    @Option(names = "--dashboard-port", defaultValue = "8088", description = "Dashboard port (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--dashboard-host", defaultValue = HttpBinding.LOOPBACK,
            description = "Address the dashboard binds (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String dashboardHost;

    @Option(names = "--dashboard-token", defaultValue = "${env:TIERFLOW_DASHBOARD_TOKEN}",
            description = "Bearer token the dashboard's data requires (default: $TIERFLOW_DASHBOARD_TOKEN, none when unset); "
                    + "open the page as <url>#token=<token>.")
    String dashboardToken;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the load generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tick", defaultValue = "PT10S", description = "How often the live table prints (default: ${DEFAULT-VALUE}).")
    Duration tick;

    @Mixin
    StackOptions stackOptions = new StackOptions();

    private final PrintStream out;
    /** Runs with the stack still up and the snapshot the summary was made from (the end-to-end test checks it here). */
    BiConsumer<LocalStack, Snapshot> beforeStop = (stack, snapshot) -> { };

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        Path data = stackOptions.dataDirectory("tierflow-demo-");
        DemoReport report = new DemoReport(out);
        Duration duration = stackOptions.duration;
        int metricsPort = stackOptions.metricsPort;
        try (StopSignal stop = new StopSignal("tierflow-demo-stop");
             LocalStack stack = LocalStack.start(stackOptions.ports(), data);
             Pipeline pipeline = Pipeline.start(new Pipeline.Options(stack.bootstrapServers(), stack.registryUrl(), policyFile.toAbsolutePath(),
                     pricesFile.toAbsolutePath(), data, 3, metricsPort, attributionSettings(), alertingSettings()));
             DashboardServer dashboard = DashboardServer.start(new HttpBinding(dashboardHost, dashboardPort, dashboardToken), stack.bootstrapServers(), stack.registryUrl(), policy);
             MultiAgentLoad load = new MultiAgentLoad(new KafkaProducer<String, AgentTask>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                     "linger.ms", 5), new StringSerializer(), AvroSerdes.forRegistry(stack.registryUrl()).avro(AgentTask.class, false).serializer()),
                     seed, Clock.systemUTC())) {
            out.println();
            out.println("TierFlow demo is running.");
            out.println("  Dashboard               : " + dashboard.browserUrl());
            out.println("  Kafka bootstrap servers : " + stack.bootstrapServers());
            out.println("  Apicurio Registry       : " + stack.registryUrl());
            out.println("  Router metrics          : http://localhost:" + metricsPort + "/metrics");
            out.printf("  Load                    : %.2f workflow runs/s (planner, workers, critic, file ops, formatting)%n", runsPerSecond);
            out.println("  Windows                 : " + windowSize + " sliding by " + windowSlide
                    + (noEvent ? "" : "; at +" + eventAt.toSeconds() + " s the small tier's quality drops by " + eventDrop + " for role worker"));
            SchemasCommand.printIds(out, stack.registryCcompatUrl(), SchemasCommand.register(stack.registryUrl(), policy, Duration.ofSeconds(30)));
            out.println(duration == null ? "  Ctrl-C to stop and see the summary." : "  Stopping after " + duration + ".");
            load.start(runsPerSecond);
            long started = System.nanoTime();
            boolean eventDone = noEvent;
            long stopAt = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
            while (System.nanoTime() < stopAt) {
                long waitNanos = Math.min(tick.toNanos(), stopAt - System.nanoTime());
                if (stop.awaitNanos(waitNanos)) {
                    break;
                }
                long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
                if (!eventDone && elapsed >= eventAt.toSeconds()) {
                    pipeline.simulator("small").degrade("small", "worker", eventDrop);
                    out.printf("[%4d s] scripted event: the small tier's quality drops by %.2f for role worker%n", elapsed, eventDrop);
                    eventDone = true;
                }
                report.live(elapsed, load.tasksSent(), dashboard.data().snapshot());
            }
            load.close();
            out.println("Load stopped; waiting for the last statistics to settle...");
            Snapshot last = SettledStats.await(dashboard.data());
            report.summary(last, load.tasksSent());
            beforeStop.accept(stack, last);
        }
        return 0;
    }

    private Map<String, String> attributionSettings() {
        return Map.of(AttributionSettings.WINDOW_SIZE, windowSize, AttributionSettings.WINDOW_SLIDE, windowSlide,
                AttributionSettings.OUT_OF_ORDERNESS, "2 s", AttributionSettings.IDLENESS, "5 s",
                AttributionSettings.CHECKPOINT_INTERVAL, "2 s", AttributionSettings.STUCK_AFTER, "2 min",
                AttributionSettings.JOIN_BOUND, "5 min");
    }

    /** The alerting job's settings in the local stack: quick checkpoints, so alerts and policy changes show within seconds. */
    static Map<String, String> alertingSettings() {
        return Map.of(AlertingSettings.CHECKPOINT_INTERVAL, "1 s", AlertingSettings.OUT_OF_ORDERNESS, "10 s",
                AlertingSettings.IDLENESS, "10 s");
    }
}
