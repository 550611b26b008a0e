package dev.tierflow.flinksession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The memory flags of one Flink process, computed the way flink-dist's scripts do: by running
 * {@code BashJavaUtils GET_TM_RESOURCE_PARAMS|GET_JM_RESOURCE_PARAMS --configDir conf}, which applies
 * Flink's own memory model to config.yaml. Reimplementing that model here would drift from Flink.
 *
 * @param jvmArgs     e.g. {@code -Xmx301989882 -Xms301989882 -XX:MaxDirectMemorySize=...}
 * @param dynamicArgs e.g. {@code -D taskmanager.memory.network.min=87241524b -D ...}, passed to the entry class
 */
record JvmResourceParams(List<String> jvmArgs, List<String> dynamicArgs) {

    /** BashJavaUtils marks its result lines with this prefix (Flink 1.11+), logging may surround them. */
    static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    JvmResourceParams {
        jvmArgs = List.copyOf(jvmArgs);
        dynamicArgs = List.copyOf(dynamicArgs);
    }

    /**
     * Parses the output: the last two result lines are the JVM flags and the dynamic properties. Without
     * prefixed lines (an older or changed BashJavaUtils), the last two non-blank lines.
     */
    static JvmResourceParams parse(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> results = lines.stream()
                .filter(l -> l.startsWith(RESULT_PREFIX))
                .map(l -> l.substring(RESULT_PREFIX.length()).strip())
                .toList();
        List<String> chosen = results.isEmpty() ? lines : results;
        if (chosen.size() < 2) {
            throw new IllegalStateException("unexpected BashJavaUtils output, wanted two result lines (JVM flags, -D options):\n" + output);
        }
        String jvm = chosen.get(chosen.size() - 2);
        String dynamic = chosen.get(chosen.size() - 1);
        if (!jvm.contains("-Xmx") || !dynamic.startsWith("-D")) {
            throw new IllegalStateException("unexpected BashJavaUtils output, no -Xmx line followed by a -D line:\n" + output);
        }
        return new JvmResourceParams(tokens(jvm), tokens(dynamic));
    }

    /** Flink writes memory sizes in bytes and no values with spaces, so splitting on whitespace is safe. */
    private static List<String> tokens(String line) {
        return Arrays.stream(line.split("\\s+")).filter(t -> !t.isEmpty()).toList();
    }

    /** Runs BashJavaUtils for {@code role} against {@code confDir}; its output goes to a file in {@code logDir}. */
    static JvmResourceParams compute(String java, FlinkClasspath classpath, Path confDir, Path logDir, FlinkRole role) {
        Path out = logDir.resolve(role.logName + "-resource-params.out");
        try {
            Files.createDirectories(logDir);
            Process process = new ProcessBuilder(java, "-cp", classpath.value(),
                    "org.apache.flink.runtime.util.bash.BashJavaUtils", role.resourceCommand,
                    "--configDir", confDir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("BashJavaUtils " + role.resourceCommand + " did not finish in " + TIMEOUT);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("BashJavaUtils " + role.resourceCommand + " failed (exit "
                        + process.exitValue() + "), check config.yaml in " + confDir + ":\n" + output);
            }
            return parse(output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run BashJavaUtils with " + java, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing the " + role.logName + " memory flags", e);
        }
    }
}
