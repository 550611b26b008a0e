package dev.tierflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A workload running in a child JVM with this JVM's classpath: started, observed through /proc, stopped with SIGTERM. */
final class ChildApp {

    static final String DEFAULT_JVM_FLAGS = "-Xms256m -Xmx256m -XX:+UseSerialGC";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The child running now, stopped by the shutdown hook if the bench exits early. */
    private static final AtomicReference<Process> RUNNING = new AtomicReference<>();

    private final String label;
    private final Process process;
    private final Path log;

    private ChildApp(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    /** Makes the JVM stop a still running child when it exits. */
    static void stopRunningChildOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildApp::stopRunningChild, "stop-bench-child"));
    }

    /** Starts {@code mainClass} with {@code jvmFlags}, then {@code extraJvmFlags}; its output goes to {@code log}. */
    static ChildApp start(String label, String jvmFlags, List<String> extraJvmFlags, Class<?> mainClass, List<String> args,
                          Path log) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
        command.addAll(extraJvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RUNNING.set(process);
        return new ChildApp(label, process, log);
    }

    String label() {
        return label;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Waits up to {@code timeout} for the child to exit (returning at once if it dies). */
    void waitFor(Duration timeout) throws InterruptedException {
        process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long cpuTicks() {
        return ProcStats.cpuTicks(process.pid());
    }

    long peakRssKb() {
        return ProcStats.peakRssKb(process.pid());
    }

    /** "Log path:" and the last 40 lines of the child's output. */
    String logTail() {
        return "Log " + log + ":\n" + tail(log);
    }

    /** SIGTERM (the child's shutdown hook closes its clients), killing it if it does not exit in time. */
    void stop() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.println("child " + process.pid() + " did not stop in " + STOP_TIMEOUT.toSeconds() + " s; killing it");
                process.destroyForcibly();
                process.waitFor();
            }
        } finally {
            RUNNING.compareAndSet(process, null);
        }
    }

    private static void stopRunningChild() {
        Process child = RUNNING.getAndSet(null);
        if (child != null && child.isAlive()) {
            child.destroy();
            try {
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
