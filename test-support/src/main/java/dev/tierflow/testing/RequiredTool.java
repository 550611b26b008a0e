package dev.tierflow.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs an external tool (promtool, chromium, Python's Kafka client) skips itself where the
 * tool is missing on a developer's machine, but FAILS under {@code CI=true}: there a missing tool means the
 * only coverage of that code did not run, and a green build must not hide it.
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** The executable {@code program} on the PATH; skips the test (fails it under CI) when there is none. */
    public static Path assumeOrFail(String program) {
        Optional<Path> found = onPath(program, System.getenv("PATH"));
        assumeOrFail(program + " on the PATH", found.isPresent());
        return found.orElseThrow();
    }

    /** Skips the test when {@code available} is false, or fails it under CI; {@code what} names the tool. */
    public static void assumeOrFail(String what, boolean available) {
        assumeOrFail(what, available, System.getenv());
    }

    static void assumeOrFail(String what, boolean available, Map<String, String> environment) {
        if (available) {
            return;
        }
        String message = what + " is not available (.ci/run installs it)";
        if (isCi(environment)) {
            Assertions.fail(message + ": CI=true, so this test fails instead of skipping");
        }
        Assumptions.abort(message + ": test skipped (it would fail under CI=true)");
    }

    /** Whether the run is a CI run: the environment variable {@code CI} is {@code true} (as CI services and .ci/run set it). */
    static boolean isCi(Map<String, String> environment) {
        return "true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim());
    }

    static Optional<Path> onPath(String program, String path) {
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
