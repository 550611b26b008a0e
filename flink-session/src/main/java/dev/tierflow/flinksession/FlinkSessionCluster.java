package dev.tierflow.flinksession;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A real Flink session cluster: one JobManager and one TaskManager, each its own JVM, as flink-dist's
 * start-cluster.sh would run them, but on jars from Maven Central (flink-dist is not published there).
 * Jobs reach it the way they reach a production cluster: a job jar over REST, with Flink's user-code
 * class loading, serialization between processes, and the cluster's own config.yaml.
 *
 * <pre>{@code
 * try (FlinkSessionCluster cluster = FlinkSessionCluster.start(tempDir, FlinkSessionOptions.defaults())) {
 *     String jobId = cluster.rest().submit(jobJar, "com.example.Main", List.of("--in", "x"), 1);
 *     cluster.rest().awaitState(jobId, "RUNNING", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class FlinkSessionCluster implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;

    private final Path workDir;
    private final ClusterPorts ports;
    private final FlinkProcess jobManager;
    private final FlinkProcess taskManager;
    private final FlinkRestClient rest;
    private final Thread shutdownHook;
    private boolean closed;

    private FlinkSessionCluster(Path workDir, ClusterPorts ports, FlinkProcess jobManager, FlinkProcess taskManager,
                                boolean stopOnJvmExit) {
        this.workDir = workDir;
        this.ports = ports;
        this.jobManager = jobManager;
        this.taskManager = taskManager;
        this.rest = new FlinkRestClient(restUrl());
        // Children would otherwise outlive a test JVM that exits without close() (not one killed with SIGKILL).
        this.shutdownHook = stopOnJvmExit ? new Thread(this::stopProcesses, "flink-session-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts a cluster on the classpath from {@link FlinkClasspath#locate()}; see {@link #start(Path, FlinkSessionOptions, FlinkClasspath)}. */
    public static FlinkSessionCluster start(Path workDir, FlinkSessionOptions options) {
        return start(workDir, options, FlinkClasspath.locate());
    }

    /**
     * Writes {@code workDir/conf}, starts the JobManager and the TaskManager (logs in {@code workDir/log}) and
     * returns once the TaskManager has registered its slots. If the cluster does not come up, stops what was
     * started and throws with the tail of both logs.
     */
    public static FlinkSessionCluster start(Path workDir, FlinkSessionOptions options, FlinkClasspath classpath) {
        Path dir = workDir.toAbsolutePath();
        Path confDir = dir.resolve("conf");
        Path logDir = dir.resolve("log");
        ClusterPorts ports = ClusterPorts.free();
        FlinkConfigWriter.write(confDir, FlinkConfigWriter.configFor(dir, ports, options));

        String java = javaCommand();
        // Each BashJavaUtils run is a JVM start (~1 s): run both at once.
        CompletableFuture<JvmResourceParams> jmParams = CompletableFuture.supplyAsync(
                () -> JvmResourceParams.compute(java, classpath, confDir, logDir, FlinkRole.JOB_MANAGER));
        CompletableFuture<JvmResourceParams> tmParams = CompletableFuture.supplyAsync(
                () -> JvmResourceParams.compute(java, classpath, confDir, logDir, FlinkRole.TASK_MANAGER));

        FlinkProcess jobManager = FlinkProcess.start(java, classpath, confDir, logDir, FlinkRole.JOB_MANAGER,
                join(jmParams), prometheusPort(ports.jobManagerPrometheus()), options.stopOnJvmExit());
        FlinkProcess taskManager;
        try {
            taskManager = FlinkProcess.start(java, classpath, confDir, logDir, FlinkRole.TASK_MANAGER,
                    join(tmParams), prometheusPort(ports.taskManagerPrometheus()), options.stopOnJvmExit());
        } catch (RuntimeException e) {
            jobManager.stop(STOP_GRACE);
            throw e;
        }
        FlinkSessionCluster cluster = new FlinkSessionCluster(dir, ports, jobManager, taskManager, options.stopOnJvmExit());
        try {
            cluster.awaitSlots(options.startupTimeout());
            return cluster;
        } catch (RuntimeException e) {
            String logs = cluster.logTails();
            cluster.close();
            throw new IllegalStateException("the Flink session cluster in " + dir + " did not come up: "
                    + e.getMessage() + "\n" + logs, e);
        }
    }

    /** Flink's own REST API, e.g. {@code http://localhost:41234}. */
    public String restUrl() {
        return "http://localhost:" + ports.rest();
    }

    public FlinkRestClient rest() {
        return rest;
    }

    public ClusterPorts ports() {
        return ports;
    }

    /** The TaskManager's Prometheus reporter, where task and operator metrics are. */
    public String taskManagerMetricsUrl() {
        return "http://localhost:" + ports.taskManagerPrometheus() + "/metrics";
    }

    public String jobManagerMetricsUrl() {
        return "http://localhost:" + ports.jobManagerPrometheus() + "/metrics";
    }

    /** The JobManager's and the TaskManager's Prometheus reporter ports, in that order. */
    public List<Integer> prometheusPorts() {
        return List.of(ports.jobManagerPrometheus(), ports.taskManagerPrometheus());
    }

    public ProcessHandle jobManagerProcess() {
        return jobManager.handle();
    }

    public ProcessHandle taskManagerProcess() {
        return taskManager.handle();
    }

    public Path workDir() {
        return workDir;
    }

    public Path logDir() {
        return workDir.resolve("log");
    }

    /** The last lines of both processes' logs, for failure messages. */
    public String logTails() {
        return jobManager.tail(TAIL_LINES) + "\n" + taskManager.tail(TAIL_LINES);
    }

    /** Stops both processes (SIGTERM, then SIGKILL after a grace period). Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or will run; stopping twice is harmless
            }
        }
        stopProcesses();
    }

    /** TaskManager first, so it does not spend the grace period trying to reconnect to a gone JobManager. */
    private void stopProcesses() {
        taskManager.stop(STOP_GRACE);
        jobManager.stop(STOP_GRACE);
    }

    private void awaitSlots(Duration timeout) {
        Poll.until(timeout, Duration.ofMillis(250), () -> {
            for (FlinkProcess process : List.of(jobManager, taskManager)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the " + process.role().logName + " exited with code "
                            + process.exitCode() + " before the cluster was up");
                }
            }
            return slotsReady();
        }, () -> "no TaskManager with free slots at " + restUrl() + "/overview");
    }

    /** Present once {@code /overview} shows a TaskManager with free slots; empty while REST is not up yet. */
    private Optional<JsonNode> slotsReady() {
        try {
            JsonNode overview = rest.overview();
            boolean ready = overview.path("taskmanagers").asInt() >= 1 && overview.path("slots-available").asInt() >= 1;
            return ready ? Optional.of(overview) : Optional.empty();
        } catch (UncheckedIOException | FlinkRestException notYet) {
            return Optional.empty();
        }
    }

    private static List<String> prometheusPort(int port) {
        return List.of("-D", "metrics.reporter.prom.port=" + port);
    }

    /** The same java as this JVM, so the cluster runs on the JDK the build and tests use. */
    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
