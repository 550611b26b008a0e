package dev.tierflow.local;

import dev.tierflow.local.status.ClusterStatus;
import dev.tierflow.local.status.RegistryStatus;
import dev.tierflow.local.status.StatusReport;
import dev.tierflow.schemas.AvroSerdes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tierflow status}: what a running stack holds right now, as tables. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a running stack: broker, topics, consumer lag, registry, latest stats per role, firing alerts, live overrides.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--timeout", defaultValue = "PT5S", description = "How long to wait for the broker and the registry (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    StatusCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        ClusterStatus clusterStatus;
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
        try {
            clusterStatus = ClusterStatus.read(admin, timeout);
        } catch (TimeoutException | ExecutionException e) {
            spec.commandLine().getErr().println("error: the Kafka broker at " + cluster.bootstrapServers + " is not reachable ("
                    + (e instanceof TimeoutException ? "no answer within " + timeout : e.getCause()) + ")");
            return 1;
        } finally {
            // a plain close() would wait for requests still retrying against a broker that is not there
            admin.close(Duration.ZERO);
        }
        RegistryStatus registry = RegistryStatus.read(cluster.registryUrl, timeout);
        LatestRecords latest = new LatestRecords();
        if (registry.reachable()) {
            TopicRecords records = new TopicRecords(AvroSerdes.forRegistry(cluster.registryUrl), latest);
            try {
                // stats and alerts grow with time; reading them whole is fine for a local stack's retention
                TopicsToEnd.read(cluster.bootstrapServers, TopicRecords.TOPICS, timeout.multipliedBy(6), records::dispatch);
            } catch (RegistryUnavailableException e) {
                // the registry went away mid-read: what was read is partial (an override not yet read would look
                // absent), so show none of it and say why, once
                spec.commandLine().getErr().println("error: " + e.getMessage() + ": stats, alerts and live overrides not shown");
                latest = new LatestRecords();
                registry = new RegistryStatus(registry.url(), null, "became unreachable while reading " + e.topic());
            }
        } else {
            // without the registry no record can be decoded: say so once rather than once per record
            spec.commandLine().getErr().println("the registry is not reachable: stats, alerts and live overrides not read");
        }
        new StatusReport(out).print(cluster.bootstrapServers, clusterStatus, registry, latest);
        return 0;
    }
}
