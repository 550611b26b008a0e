package dev.tierflow.local;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.worker.app.WorkerApp;
import dev.tierflow.worker.app.WorkerSettings;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * One worker per tier of the policy, in this JVM, each with the backend its tier names (the simulator by default)
 * or the one given for it (a replay's).
 */
final class Workers implements AutoCloseable {

    private final List<WorkerApp> apps;
    private final List<String> tiers;

    private Workers(List<WorkerApp> apps, List<String> tiers) {
        this.apps = apps;
        this.tiers = tiers;
    }

    static Workers start(RoutingPolicy policy, LocalStack stack, Path policyFile, Path pricesFile) {
        return start(policy, stack.bootstrapServers(), stack.registryUrl(), policyFile, pricesFile, 3);
    }

    static Workers start(RoutingPolicy policy, String bootstrapServers, String registryUrl, Path policyFile, Path pricesFile,
                         int topicPartitions) {
        return start(policy, bootstrapServers, registryUrl, policyFile, pricesFile, topicPartitions, null);
    }

    /** @param backendFor each tier's backend; null: the one the tier's {@code backend} section names */
    static Workers start(RoutingPolicy policy, String bootstrapServers, String registryUrl, Path policyFile, Path pricesFile,
                         int topicPartitions, Function<Tier, ModelBackend> backendFor) {
        List<WorkerApp> apps = new ArrayList<>();
        try {
            for (Tier tier : policy.tiers()) {
                Properties config = WorkerSettings.defaults();
                config.setProperty("bootstrap.servers", bootstrapServers);
                config.setProperty("apicurio.registry.url", registryUrl);
                config.setProperty(WorkerSettings.TIER, tier.name());
                config.setProperty(WorkerSettings.POLICY_FILE, policyFile.toString());
                config.setProperty(WorkerSettings.PRICES_FILE, pricesFile.toString());
                config.setProperty(WorkerSettings.TOPIC_PARTITIONS, Integer.toString(topicPartitions));
                config.setProperty(WorkerSettings.CONCURRENCY, "8");
                WorkerSettings settings = WorkerSettings.from(config);
                apps.add(backendFor == null ? WorkerApp.start(settings, System.getenv())
                        : WorkerApp.start(settings, System.getenv(), backendFor));
            }
        } catch (RuntimeException e) {
            apps.forEach(WorkerApp::close);
            throw e;
        }
        return new Workers(apps, policy.tiers().stream().map(Tier::name).toList());
    }

    List<String> tiers() {
        return tiers;
    }

    /** The simulator behind a tier's worker, to degrade and restore it at run time; null when the tier uses another backend. */
    SimulatedModelBackend simulator(String tier) {
        int index = tiers.indexOf(tier);
        return index >= 0 && apps.get(index).backend() instanceof SimulatedModelBackend simulator ? simulator : null;
    }

    @Override
    public void close() {
        apps.forEach(WorkerApp::close);
    }
}
