package dev.tierflow.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (broker and controller in one KRaft process) inside this JVM, on fixed ports
 * on 127.0.0.1, so other processes on the machine (agents, kcat) can reach it at a known address.
 */
public final class KRaftBroker implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final Settings settings;

    private KRaftBroker(KafkaRaftServer server, Settings settings) {
        this.server = server;
        this.settings = settings;
    }

    /**
     * Where the broker listens and keeps its data. {@code config} overrides or adds broker properties.
     * The data directory is formatted on first start and reused (with its topics) afterwards.
     */
    public record Settings(int brokerPort, int controllerPort, Path dataDir, Map<String, String> config) {

        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            if (brokerPort <= 0 || controllerPort <= 0 || brokerPort == controllerPort) {
                throw new IllegalArgumentException("need two different fixed ports, got broker " + brokerPort
                        + " and controller " + controllerPort);
            }
            config = Map.copyOf(config);
        }

        public Settings(int brokerPort, int controllerPort, Path dataDir) {
            this(brokerPort, controllerPort, dataDir, Map.of());
        }

        /** These settings with one more broker property. */
        public Settings withConfig(String key, String value) {
            Map<String, String> more = new LinkedHashMap<>(config);
            more.put(key, value);
            return new Settings(brokerPort, controllerPort, dataDir, more);
        }
    }

    /** Formats the data directory if it is new, starts the broker and returns once it accepts clients. */
    public static KRaftBroker start(Settings settings) {
        Properties properties = serverProperties(settings);
        Path configFile = writeConfigFile(settings.dataDir(), properties);
        formatIfNew(configFile, logDir(settings));
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        try {
            // Returns once the broker has caught up with the metadata log and is unfenced.
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new KRaftBroker(server, settings);
    }

    /** The address clients use: {@code 127.0.0.1:<broker port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + settings.brokerPort();
    }

    public Settings settings() {
        return settings;
    }

    /** Stops the broker and controller and waits until they have stopped. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties serverProperties(Settings settings) {
        String controller = "127.0.0.1:" + settings.controllerPort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", String.valueOf(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + controller);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + settings.brokerPort() + ",CONTROLLER://" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + settings.brokerPort());
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir(settings).toString());
        // One broker: internal topics default to 3 replicas and initTransactions() would hang without these.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // A local broker: the first consumer group should not wait 3 s for more members to join.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        settings.config().forEach(p::setProperty);
        return p;
    }

    private static Path logDir(Settings settings) {
        return settings.dataDir().resolve("logs").toAbsolutePath();
    }

    private static Path writeConfigFile(Path dataDir, Properties properties) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "written by " + KRaftBroker.class.getName() + " on every start");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the broker config in " + dataDir, e);
        }
    }

    /**
     * Same as {@code kafka-storage.sh format}, only for a new directory: one formatted before keeps its
     * cluster id and data (formatting again, even with --ignore-formatted, insists on the same cluster id).
     */
    private static void formatIfNew(Path configFile, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()};
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, out);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("formatting the KRaft storage failed (exit code " + exitCode + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }
}
