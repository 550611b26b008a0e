package dev.tierflow.flinksession;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bin/flink-session}: start a session cluster that keeps running after this command exits, submit
 * job jars to it, stop it. What it started is recorded in {@code DIR/flink-session.properties}.
 */
@Command(name = "flink-session", mixinStandardHelpOptions = true,
        description = "A Flink session cluster (JobManager + TaskManager processes) from Maven Central jars.",
        subcommands = {FlinkSessionMain.Start.class, FlinkSessionMain.Stop.class, FlinkSessionMain.Submit.class})
public final class FlinkSessionMain {

    static final String STATE_FILE = "flink-session.properties";
    static final String DEFAULT_DIR = ".tierflow/flink-session";

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlinkSessionMain())
                // a message, not a stack trace: the failures here (cluster did not come up, REST errors) say it all
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    System.err.println("flink-session: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }

    @Command(name = "start", description = "Start the cluster in the background; prints the REST URL.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR, description = "Work dir: conf, logs, checkpoints (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--slots", defaultValue = "2", description = "TaskManager slots (default: ${DEFAULT-VALUE}).")
        int slots;

        @Override
        public Integer call() {
            if (Files.exists(dir.resolve(STATE_FILE)) && anyAlive(load(dir))) {
                System.err.println("a cluster is already running from " + dir + "; stop it first: bin/flink-session stop --dir " + dir);
                return 1;
            }
            // Detached: no shutdown hook, the cluster outlives this command until `stop`.
            FlinkSessionCluster cluster = FlinkSessionCluster.start(dir,
                    FlinkSessionOptions.defaults().withTaskSlots(slots).withStopOnJvmExit(false));
            Properties state = new Properties();
            state.setProperty("rest.url", cluster.restUrl());
            state.setProperty("jobmanager.pid", String.valueOf(cluster.jobManagerProcess().pid()));
            state.setProperty("taskmanager.pid", String.valueOf(cluster.taskManagerProcess().pid()));
            state.setProperty("taskmanager.metrics", cluster.taskManagerMetricsUrl());
            state.setProperty("jobmanager.metrics", cluster.jobManagerMetricsUrl());
            store(dir, state);
            System.out.println(cluster.restUrl());
            System.err.println("Flink session cluster up: web UI and REST " + cluster.restUrl()
                    + ", TaskManager metrics " + cluster.taskManagerMetricsUrl() + ", logs in " + cluster.logDir());
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop the cluster started from --dir.")
    static final class Stop implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR, description = "Work dir given to start (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Properties state = load(dir);
            for (String key : List.of("taskmanager.pid", "jobmanager.pid")) {
                // A reused pid would be some other program by now: only stop it if it still runs Flink's java.
                ProcessHandle.of(Long.parseLong(state.getProperty(key)))
                        .filter(FlinkSessionMain::looksLikeFlink)
                        .ifPresent(handle -> FlinkProcess.stop(handle, Duration.ofSeconds(10)));
            }
            Files.delete(dir.resolve(STATE_FILE));
            System.err.println("stopped the Flink session cluster in " + dir);
            return 0;
        }
    }

    @Command(name = "submit", description = "Upload a job jar and run it; prints the job id.")
    static final class Submit implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR, description = "Work dir given to start (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--parallelism", defaultValue = "1", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Parameters(index = "0", description = "The (shaded) job jar.")
        Path jar;

        // an option, not a position: picocli would take the first program argument after -- for it
        @Option(names = "--class", description = "Main class; default: the jar manifest's Main-Class.")
        String entryClass;

        @Parameters(index = "1..*", description = "Program arguments (put them after --).")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            String restUrl = load(dir).getProperty("rest.url");
            String jobId = new FlinkRestClient(restUrl).submit(jar, entryClass, args, parallelism);
            System.out.println(jobId);
            System.err.println("submitted: " + restUrl + "/#/job/running/" + jobId + "/overview");
            return 0;
        }
    }

    private static boolean anyAlive(Properties state) {
        return List.of("taskmanager.pid", "jobmanager.pid").stream()
                .map(key -> ProcessHandle.of(Long.parseLong(state.getProperty(key, "-1"))))
                .anyMatch(handle -> handle.filter(FlinkSessionMain::looksLikeFlink).isPresent());
    }

    private static boolean looksLikeFlink(ProcessHandle handle) {
        return handle.info().arguments()
                .map(arguments -> List.of(arguments).stream().anyMatch(a -> a.startsWith("org.apache.flink.runtime.")))
                .orElse(true);
    }

    private static Properties load(Path dir) {
        if (!Files.exists(dir.resolve(STATE_FILE))) {
            throw new IllegalStateException("no cluster started from " + dir + " (no " + STATE_FILE
                    + "); start one: bin/flink-session start --dir " + dir);
        }
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(STATE_FILE))) {
            state.load(in);
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + dir.resolve(STATE_FILE), e);
        }
    }

    private static void store(Path dir, Properties state) {
        try (OutputStream out = Files.newOutputStream(dir.resolve(STATE_FILE))) {
            state.store(out, "the Flink session cluster started by bin/flink-session");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dir.resolve(STATE_FILE), e);
        }
    }
}
