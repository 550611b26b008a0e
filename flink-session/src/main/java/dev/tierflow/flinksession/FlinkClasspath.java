package dev.tierflow.flinksession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The classpath of the JobManager and TaskManager processes. flink-dist (the tarball with lib/) is not on
 * Maven Central, so this module's build lists the Flink jars it resolved from Central in
 * {@code target/flink-classpath.txt} (maven-dependency-plugin build-classpath), and the cluster runs on them.
 */
public record FlinkClasspath(String value) {

    /** System property naming the classpath file; overrides the lookup relative to the working directory. */
    public static final String PROPERTY = "tierflow.flink.classpath";

    private static final String FILE = "target/flink-classpath.txt";

    /** Where the file is relative to the working directory: this module, a sibling module, the project root. */
    private static final List<String> CANDIDATES = List.of(FILE, "../flink-session/" + FILE, "flink-session/" + FILE);

    public FlinkClasspath {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty Flink classpath");
        }
    }

    /** Reads a file written by build-classpath: one line, entries separated by the platform's path separator. */
    public static FlinkClasspath fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw missing("no Flink classpath file at " + file.toAbsolutePath());
        }
        try {
            return new FlinkClasspath(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the Flink classpath file " + file.toAbsolutePath(), e);
        }
    }

    /** The file named by {@value #PROPERTY}, else the first of the usual places relative to the working directory. */
    public static FlinkClasspath locate() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return fromFile(Path.of(property));
        }
        return find(Path.of("").toAbsolutePath())
                .map(FlinkClasspath::fromFile)
                .orElseThrow(() -> missing("no Flink classpath file: looked for " + CANDIDATES + " under "
                        + Path.of("").toAbsolutePath() + " and the system property " + PROPERTY));
    }

    static Optional<Path> find(Path workingDir) {
        return CANDIDATES.stream().map(workingDir::resolve).filter(Files::isRegularFile).findFirst();
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException(what + ". Build it with: ./mvnw -pl flink-session -am package -DskipTests");
    }
}
