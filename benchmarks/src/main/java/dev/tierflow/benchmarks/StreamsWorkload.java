package dev.tierflow.benchmarks;

import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterConfigLoader;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One Kafka Streams app under test, run by {@link RouterThroughputBench} as a child JVM: either a
 * passthrough ({@code tasks} → {@code bench.passthrough}, decoding and re-encoding every AgentTask through
 * the registry serdes) or the real router ({@link RouterApp}). Both get the same Streams settings from
 * {@link #commonStreamsConfig}; the router adds only its own defaults ({@link RouterConfigLoader#defaults()}).
 * Runs until SIGTERM, then closes the app cleanly.
 */
@Command(name = "streams-workload", mixinStandardHelpOptions = true,
        description = "Runs the passthrough or the router until stopped (a child process of RouterThroughputBench).")
public final class StreamsWorkload implements Callable<Integer> {

    public static final String PASSTHROUGH_TOPIC = "bench.passthrough";

    public enum Mode { passthrough, router }

    @Parameters(index = "0", description = "passthrough | router")
    Mode mode;

    @Option(names = "--bootstrap", required = true)
    String bootstrap;

    @Option(names = "--registry", required = true, description = "registry URL (…/apis/registry/v3)")
    String registryUrl;

    @Option(names = "--application-id", required = true)
    String applicationId;

    @Option(names = "--state-dir", required = true)
    Path stateDir;

    @Option(names = "--policy", description = "policy file (router only)")
    Path policyFile;

    @Option(names = "--datum-provider", defaultValue = "default",
            description = "default: the registry serdes as TierFlow configures them (SchemaKeyedDatumProvider);"
                    + " apicurio: with Apicurio's stock DefaultAvroDatumProvider, for comparison")
    String datumProvider;

    /** Registry serde settings on top of the URL: none by default (TierFlow's own). */
    private java.util.Map<String, String> registryExtras() {
        return switch (datumProvider) {
            case "default" -> java.util.Map.of();
            case "apicurio" -> java.util.Map.of(DATUM_PROVIDER, io.apicurio.registry.serde.avro.DefaultAvroDatumProvider.class.getName());
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--datum-provider is default or apicurio");
        };
    }

    static final String DATUM_PROVIDER = "apicurio.registry.avro-datum-provider";

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamsWorkload()).execute(args));
    }

    /** The Streams settings both apps share. */
    static Properties commonStreamsConfig(String bootstrap, String applicationId, Path stateDir) {
        Properties config = new Properties();
        config.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        return config;
    }

    static Topology passthroughTopology(AvroSerdes serdes) {
        Serde<String> keys = AvroSerdes.keySerde();
        Serde<AgentTask> tasks = serdes.valueSerde(Topics.TASKS);
        Topology topology = new Topology();
        topology.addSource("tasks-source", keys.deserializer(), tasks.deserializer(), Topics.TASKS.name());
        topology.addSink("passthrough-sink", PASSTHROUGH_TOPIC, keys.serializer(), tasks.serializer(), "tasks-source");
        return topology;
    }

    @Override
    public Integer call() throws InterruptedException {
        Properties common = commonStreamsConfig(bootstrap, applicationId, stateDir);
        AutoCloseable app = switch (mode) {
            case passthrough -> startPassthrough(common);
            case router -> startRouter(common);
        };
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("closing " + mode + " failed: " + e);
            } finally {
                closed.countDown();
            }
        }, "stop-" + mode));
        System.out.println(mode + " started as " + applicationId + " (pid " + ProcessHandle.current().pid() + ")");
        closed.await();
        return 0;
    }

    private AutoCloseable startPassthrough(Properties config) {
        java.util.Map<String, Object> registry = new java.util.HashMap<>(registryExtras());
        registry.put(AvroSerdes.REGISTRY_URL, registryUrl);
        KafkaStreams streams = new KafkaStreams(passthroughTopology(AvroSerdes.fromConfig(registry)), config);
        // A failure must end the process, so the bench sees it die instead of waiting for its timeout.
        streams.setUncaughtExceptionHandler(e -> {
            e.printStackTrace();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                System.err.println("passthrough is in state ERROR; exiting");
                Runtime.getRuntime().halt(2);
            }
        });
        streams.start();
        return () -> streams.close(Duration.ofSeconds(30));
    }

    /** The example price catalog (on the classpath) written next to the policy file, for the router's override checks. */
    private static Path pricesNextTo(Path policyFile) {
        Path prices = policyFile.toAbsolutePath().resolveSibling("prices.yaml");
        try {
            FlinkWorkload.writeResource("prices.yaml", prices);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return prices;
    }

    private AutoCloseable startRouter(Properties common) {
        if (policyFile == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--policy is required for the router");
        }
        Properties all = RouterConfigLoader.defaults();
        all.putAll(common);
        all.setProperty(AvroSerdes.REGISTRY_URL, registryUrl);
        registryExtras().forEach(all::setProperty);
        all.setProperty(RouterSettings.POLICY_FILE, policyFile.toAbsolutePath().toString());
        all.setProperty(RouterSettings.PRICES_FILE, pricesNextTo(policyFile).toString());
        all.setProperty(RouterSettings.METRICS_PORT, "-1");
        all.setProperty(RouterSettings.CREATE_TOPICS, "false");
        return RouterApp.start(RouterSettings.from(all));
    }
}
