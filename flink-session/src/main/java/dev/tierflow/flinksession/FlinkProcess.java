package dev.tierflow.flinksession;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One JobManager or TaskManager child JVM, with its log files. */
final class FlinkProcess {

    /**
     * What flink-dist's default config.yaml puts in {@code env.java.opts.all} for JDK 17+: Flink (Kryo, Pekko,
     * the memory manager) reflects into these JDK internals.
     */
    static final List<String> JDK_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final FlinkRole role;
    private final Process process;
    private final Path logFile;
    private final Path outFile;

    private FlinkProcess(FlinkRole role, Process process, Path logFile, Path outFile) {
        this.role = role;
        this.process = process;
        this.logFile = logFile;
        this.outFile = outFile;
    }

    /**
     * Starts {@code role}'s entry class with the memory flags from BashJavaUtils and {@code extraDynamic}
     * ({@code -D key=value} pairs for this process only). Logs go to {@code logDir/<role>.log}, stdout and
     * stderr (including the job's print() output on the TaskManager) to {@code <role>.out}. With
     * {@code dieWithParent} the process exits when this JVM does, even if this JVM is killed (ParentWatchdog).
     */
    static FlinkProcess start(String java, FlinkClasspath classpath, Path confDir, Path logDir, FlinkRole role,
                              JvmResourceParams params, List<String> extraDynamic, boolean dieWithParent) {
        Path logFile = logDir.resolve(role.logName + ".log").toAbsolutePath();
        Path outFile = logDir.resolve(role.logName + ".out").toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(params.jvmArgs());
        command.addAll(JDK_OPENS);
        command.add("-Dlog.file=" + logFile);
        command.add("-Dlog4j.configurationFile=" + confDir.resolve(FlinkConfigWriter.LOG4J_FILE).toAbsolutePath().toUri());
        command.add("-cp");
        if (dieWithParent) {
            command.add(classpath.value() + File.pathSeparator + ownCodeSource());
            command.add(ParentWatchdog.class.getName());
            command.add(String.valueOf(ProcessHandle.current().pid()));
        } else {
            command.add(classpath.value());
        }
        command.add(role.entryClass);
        command.add("--configDir");
        command.add(confDir.toAbsolutePath().toString());
        command.addAll(params.dynamicArgs());
        command.addAll(extraDynamic);
        try {
            Files.createDirectories(logDir);
            Path workDir = confDir.toAbsolutePath().getParent();
            // an empty plugins dir: Flink warns without one, and would otherwise look in the caller's working dir
            Path plugins = Files.createDirectories(workDir.resolve("plugins"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            builder.environment().put("FLINK_PLUGINS_DIR", plugins.toString());
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()))
                    .start();
            return new FlinkProcess(role, process, logFile, outFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Flink " + role.logName + " with " + java, e);
        }
    }

    /** Where ParentWatchdog is loaded from: this module's jar or target/classes. */
    private static String ownCodeSource() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot find the jar or directory of " + ParentWatchdog.class.getName(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Only once the process has exited. */
    int exitCode() {
        return process.exitValue();
    }

    FlinkRole role() {
        return role;
    }

    Path logFile() {
        return logFile;
    }

    /** SIGTERM first so Flink shuts down cleanly (it has its own shutdown hooks), then SIGKILL after {@code grace}. */
    void stop(Duration grace) {
        stop(process.toHandle(), grace);
    }

    static void stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
        } catch (Exception timedOutOrFailed) {
            handle.destroyForcibly();
            handle.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS).exceptionally(t -> null).join();
        }
    }

    /** The last {@code lines} lines of the log and of stdout/stderr: what went wrong when the process died. */
    String tail(int lines) {
        return "--- " + logFile + " ---\n" + tail(logFile, lines) + "\n--- " + outFile + " ---\n" + tail(outFile, lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no file)";
        }
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read: " + e + ")";
        }
    }
}
