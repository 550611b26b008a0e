package dev.tierflow.benchmarks;

import dev.tierflow.embedded.ApicurioRegistryServer;
import dev.tierflow.embedded.KRaftBroker;
import dev.tierflow.embedded.Ports;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** The embedded KRaft broker (in this JVM) and Apicurio Registry (a child JVM) a bench runs against. */
final class BenchInfrastructure {

    /** The bench itself, run while both are up. */
    interface Bench {
        boolean run(String bootstrap, String registryUrl) throws Exception;
    }

    /** A bench that also needs the work directory. */
    interface WorkBench {
        boolean run(Path work, String bootstrap, String registryUrl) throws Exception;
    }

    private BenchInfrastructure() {
    }

    /**
     * {@link #runWith} under {@code work}, then deletes {@code work} if the bench succeeded and
     * {@code deleteOnSuccess} (it is always kept after a failure). Returns the exit code: 0 when the bench succeeded.
     */
    static int runIn(Path work, boolean deleteOnSuccess, WorkBench bench) throws Exception {
        boolean ok = false;
        try {
            ok = runWith(work, (bootstrap, registryUrl) -> bench.run(work, bootstrap, registryUrl));
            return ok ? 0 : 1;
        } finally {
            WorkDirectory.release(work, ok && deleteOnSuccess);
        }
    }

    /** Starts the broker and registry under {@code work}, runs {@code bench}, then closes both. */
    static boolean runWith(Path work, Bench bench) throws Exception {
        long started = System.nanoTime();
        // The registry (a child JVM, ~6-11 s) and the broker (~5 s) start side by side.
        CompletableFuture<ApicurioRegistryServer> pendingRegistry = CompletableFuture.supplyAsync(
                () -> ApicurioRegistryServer.start(ApicurioRegistryServer.Settings.defaults().withLogDir(work.resolve("logs"))));
        KRaftBroker broker = null;
        ApicurioRegistryServer registry = null;
        try {
            int[] ports = Ports.freePorts(2);
            broker = KRaftBroker.start(new KRaftBroker.Settings(ports[0], ports[1], work.resolve("kafka")));
            registry = pendingRegistry.join();
            System.out.printf(Locale.ROOT, "broker %s and registry %s up in %.1f s%n", broker.bootstrapServers(), registry.url(),
                    (System.nanoTime() - started) / 1e9);
            return bench.run(broker.bootstrapServers(), registry.url());
        } finally {
            if (registry == null) {
                try {
                    pendingRegistry.join().close();
                } catch (RuntimeException failedToStart) {
                    // nothing to close
                }
            } else {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }
}
