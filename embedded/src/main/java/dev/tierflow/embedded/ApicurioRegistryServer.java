package dev.tierflow.embedded;

import dev.tierflow.embedded.JdkLocator.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Apicurio Registry server (in-memory storage) as a child process on 127.0.0.1, run by a JDK
 * 21+ found by {@link JdkLocator} from the distribution found by {@link RegistryDistribution}.
 */
public final class ApicurioRegistryServer implements AutoCloseable {

    static final int MINIMUM_JAVA = 21;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 60;
    private static final int PORT_ATTEMPTS = 3;

    /** The server could not bind a port that was free a moment before. */
    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }

    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final Path logFile;
    private final Thread shutdownHook;

    /**
     * @param httpPort API port, 0 for a free one
     * @param managementPort health and metrics port, 0 for a free one
     * @param logDir where the server's output goes, null for a temporary file
     * @param startTimeout how long to wait for readiness
     * @param systemProperties more {@code -D} settings for the server (Quarkus or Apicurio config)
     */
    public record Settings(int httpPort, int managementPort, Path logDir, Duration startTimeout,
            Map<String, String> systemProperties) {

        public Settings {
            systemProperties = Map.copyOf(systemProperties);
        }

        /** Free ports, output to a temporary file, 90 s to start. */
        public static Settings defaults() {
            return new Settings(0, 0, null, Duration.ofSeconds(90), Map.of());
        }

        public Settings withPorts(int http, int management) {
            return new Settings(http, management, logDir, startTimeout, systemProperties);
        }

        public Settings withLogDir(Path dir) {
            return new Settings(httpPort, managementPort, dir, startTimeout, systemProperties);
        }

        /**
         * Keeps the registry's content in an H2 database file under {@code dir} instead of in memory, so a
         * restarted server knows the ids it gave out before: records written with them stay readable.
         */
        public Settings withFileStorage(Path dir) {
            Map<String, String> properties = new java.util.LinkedHashMap<>(systemProperties);
            properties.put("apicurio.storage.kind", "sql");
            properties.put("apicurio.storage.sql.kind", "h2");
            properties.put("apicurio.datasource.url", "jdbc:h2:file:" + dir.toAbsolutePath().resolve("registry"));
            properties.put("apicurio.datasource.username", "sa");
            properties.put("apicurio.datasource.password", "sa");
            return new Settings(httpPort, managementPort, logDir, startTimeout, properties);
        }
    }

    private ApicurioRegistryServer(Process process, int httpPort, int managementPort, Path logFile) {
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.logFile = logFile;
        // If the test run or the local stack dies without closing us, do not leave a server running.
        this.shutdownHook = new Thread(this::destroyProcessTree, "stop-apicurio-registry-" + httpPort);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the server and returns once it reports ready; fails with the tail of its log if it does not. */
    public static ApicurioRegistryServer start(Settings settings) {
        boolean freePorts = settings.httpPort() == 0 || settings.managementPort() == 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(settings);
            } catch (PortTakenException e) {
                // a free port can be taken by another process between choosing it and binding it: choose again
                if (!freePorts || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static ApicurioRegistryServer startOnce(Settings settings) {
        RegistryDistribution distribution = RegistryDistribution.fromEnvironment();
        Path home = distribution.home();
        Jdk jdk = JdkLocator.forThisMachine(MINIMUM_JAVA, "Apicurio Registry " + distribution.version()).find();
        int[] free = Ports.freePorts(3);
        int httpPort = settings.httpPort() != 0 ? settings.httpPort() : free[0];
        int managementPort = settings.managementPort() != 0 ? settings.managementPort()
                : free[1] != httpPort ? free[1] : free[2];
        Path logFile = logFile(settings.logDir(), httpPort);
        List<String> command = command(jdk, httpPort, managementPort, settings.systemProperties());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        }
        ApicurioRegistryServer server = new ApicurioRegistryServer(process, httpPort, managementPort, logFile);
        try {
            server.awaitReady(settings.startTimeout());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    static List<String> command(Jdk jdk, int httpPort, int managementPort, Map<String, String> extra) {
        List<String> command = new ArrayList<>(List.of(jdk.javaExecutable().toString(),
                "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort,
                // Confluent clients expect ids that are content ids, as TierFlow's serdes write them.
                "-Dapicurio.ccompat.legacy-id-mode.enabled=false"));
        extra.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", RegistryDistribution.LAUNCHER));
        return command;
    }

    /** The core REST API, e.g. {@code http://127.0.0.1:8080/apis/registry/v3}: the serdes' registry URL. */
    public String url() {
        return baseUrl() + "/apis/registry/v3";
    }

    /** The Confluent-compatible API, for Confluent clients in any language. */
    public String ccompatUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** The server process id, e.g. to tell users what to kill if they stop the JVM with kill -9. */
    public long pid() {
        return process.pid();
    }

    /** Where the server's stdout and stderr go. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the server (and anything it started) and waits until it has exited. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it does the same work.
        }
        destroyProcessTree();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isReady(http, ready)) {
                return;
            }
            // Waiting on the process (not sleeping) notices at once if it dies.
            if (waitForExit(POLL_INTERVAL)) {
                String tail = logTail();
                String message = "Apicurio Registry exited with code " + process.exitValue() + " before it was ready. Last lines of "
                        + logFile + ":\n" + tail;
                throw tail.contains("Address already in use") ? new PortTakenException(message) : new IllegalStateException(message);
            }
        }
        throw new IllegalStateException("Apicurio Registry was not ready after " + timeout.toSeconds()
                + " s. Last lines of " + logFile + ":\n" + logTail());
    }

    private static boolean isReady(HttpClient http, HttpRequest ready) {
        try {
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
        }
    }

    private boolean waitForExit(Duration duration) {
        try {
            return process.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
        }
    }

    private void destroyProcessTree() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy(); // SIGTERM: Quarkus shuts down cleanly
        descendants.forEach(ProcessHandle::destroy);
        boolean exited = false;
        try {
            exited = process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!exited) {
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.onExit().join();
    }

    private String logTail() {
        try {
            // Decoded leniently: a log cut mid-character must not hide the error.
            List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read the log: " + e + ")";
        }
    }

    private static Path logFile(Path logDir, int httpPort) {
        try {
            if (logDir == null) {
                return Files.createTempFile("apicurio-registry-" + httpPort + "-", ".log");
            }
            Files.createDirectories(logDir);
            return logDir.resolve("apicurio-registry-" + httpPort + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the registry log file", e);
        }
    }
}
