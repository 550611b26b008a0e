package dev.tierflow.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the commands that start the embedded stack ({@code up}, {@code demo}). */
final class StackOptions {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (default: ${DEFAULT-VALUE}); the controller uses the next one.")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8080", description = "Registry API port (default: ${DEFAULT-VALUE}); management uses the next one.")
    int registryPort;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Router metrics port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--data-dir", description = "Where the broker, registry and router keep data and logs (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--duration", description = "Stop after this long (e.g. PT5M); default: run until Ctrl-C.")
    Duration duration;

    LocalStack.Ports ports() {
        return new LocalStack.Ports(kafkaPort, kafkaPort + 1, registryPort, registryPort + 1);
    }

    /** The data directory given, created if needed, or a new temporary one. */
    Path dataDirectory(String temporaryPrefix) throws IOException {
        return dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory(temporaryPrefix);
    }
}
