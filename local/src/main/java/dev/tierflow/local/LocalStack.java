package dev.tierflow.local;

import dev.tierflow.embedded.ApicurioRegistryServer;
import dev.tierflow.embedded.KRaftBroker;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infrastructure of the embedded stack on fixed ports: a real KRaft broker in this JVM and the
 * real Apicurio Registry server as a child process, started side by side.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final KRaftBroker broker;
    private final ApicurioRegistryServer registry;

    private LocalStack(KRaftBroker broker, ApicurioRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /** Where the stack listens and keeps its data. */
    public record Ports(int kafka, int kafkaController, int registry, int registryManagement) {
        public static Ports defaults() {
            return new Ports(9092, 9093, 8080, 8081);
        }
    }

    public static LocalStack start(Ports ports, Path dataDir) {
        // The registry takes longest to start (a separate JVM): start it first and the broker meanwhile. It keeps
        // its schemas under dataDir as the broker keeps its records: a restart on the same directory must still
        // read the records (and the policy topic's overrides) written with the ids it gave out before.
        CompletableFuture<ApicurioRegistryServer> registry = CompletableFuture.supplyAsync(() -> ApicurioRegistryServer.start(
                ApicurioRegistryServer.Settings.defaults().withPorts(ports.registry(), ports.registryManagement()).withLogDir(dataDir)
                        .withFileStorage(dataDir.resolve("registry"))));
        KRaftBroker broker;
        try {
            broker = KRaftBroker.start(new KRaftBroker.Settings(ports.kafka(), ports.kafkaController(), dataDir.resolve("kafka")));
        } catch (RuntimeException e) {
            registry.thenAccept(ApicurioRegistryServer::close);
            throw e;
        }
        try {
            LocalStack stack = new LocalStack(broker, registry.join());
            LOG.info("Kafka at {}, Apicurio Registry at {}", stack.bootstrapServers(), stack.registryUrl());
            return stack;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The registry's v3 API, as the serdes want it. */
    public String registryUrl() {
        return registry.url();
    }

    public String registryCcompatUrl() {
        return registry.ccompatUrl();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
