package dev.tierflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK new enough to run a program that needs a newer Java than TierFlow's own (the registry
 * server's class files are Java 21 while TierFlow runs on 17). Looks, in order, at an explicit setting,
 * JAVA_HOME, the running JVM, then the JDKs installed side by side under one directory, newest first.
 */
public final class JdkLocator {

    public static final String JAVA_PROPERTY = "tierflow.registry.java";
    public static final String JAVA_ENV = "TIERFLOW_REGISTRY_JAVA";
    static final Path DEFAULT_JDK_ROOT = Paths.get("/usr/lib/jvm");

    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"?([^\"]+)\"?\\s*$", Pattern.MULTILINE);

    private final int minimumMajor;
    private final String neededBy;
    private final Map<String, String> env;
    private final Properties systemProperties;
    private final Path jdkRoot;

    /** A JDK: its home directory and its version, e.g. 25 and "25.0.3". */
    public record Jdk(Path home, int major, String version) {
        public Path javaExecutable() {
            return home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        }
    }

    /** Thrown when no suitable JDK exists; its message says what to install or set. */
    public static final class NoSuitableJdkException extends IllegalStateException {
        NoSuitableJdkException(String message) {
            super(message);
        }
    }

    /**
     * @param neededBy what needs the JDK, for the error message, e.g. "Apicurio Registry 3.3.3"
     * @param env environment variables (JAVA_HOME, {@value #JAVA_ENV})
     * @param systemProperties system properties ({@value #JAVA_PROPERTY}, java.home of the running JVM)
     * @param jdkRoot a directory holding JDKs side by side, like /usr/lib/jvm
     */
    public JdkLocator(int minimumMajor, String neededBy, Map<String, String> env, Properties systemProperties,
            Path jdkRoot) {
        this.minimumMajor = minimumMajor;
        this.neededBy = Objects.requireNonNull(neededBy, "neededBy");
        this.env = Map.copyOf(env);
        this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
        this.jdkRoot = Objects.requireNonNull(jdkRoot, "jdkRoot");
    }

    /** A locator reading this process's environment and system properties and /usr/lib/jvm. */
    public static JdkLocator forThisMachine(int minimumMajor, String neededBy) {
        return new JdkLocator(minimumMajor, neededBy, System.getenv(), System.getProperties(), DEFAULT_JDK_ROOT);
    }

    /** The first suitable JDK, or {@link NoSuitableJdkException}. */
    public Jdk find() {
        Optional<Jdk> explicit = explicitlyConfigured();
        if (explicit.isPresent()) {
            return explicit.get();
        }
        List<String> looked = new ArrayList<>();
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Optional<Jdk> jdk = describe(Paths.get(javaHome));
            looked.add("JAVA_HOME=" + javaHome + versionNote(jdk));
            if (jdk.filter(this::newEnough).isPresent()) {
                return jdk.get();
            }
        }
        String runningHome = systemProperties.getProperty("java.home");
        if (runningHome != null) {
            Optional<Jdk> jdk = describe(Paths.get(runningHome));
            looked.add("the running JVM " + runningHome + versionNote(jdk));
            if (jdk.filter(this::newEnough).isPresent()) {
                return jdk.get();
            }
        }
        looked.add(jdkRoot + "/*");
        return installedUnderRoot().stream().filter(this::newEnough).findFirst()
                .orElseThrow(() -> new NoSuitableJdkException(neededBy + " needs Java " + minimumMajor
                        + "+ and none was found (looked at " + String.join(", ", looked) + "). " + howToFix()));
    }

    /** An explicit setting wins, and is an error if wrong: silently using another JDK would hide the mistake. */
    private Optional<Jdk> explicitlyConfigured() {
        String fromProperty = systemProperties.getProperty(JAVA_PROPERTY);
        String setting = fromProperty != null && !fromProperty.isBlank() ? fromProperty : env.get(JAVA_ENV);
        if (setting == null || setting.isBlank()) {
            return Optional.empty();
        }
        String name = fromProperty != null && !fromProperty.isBlank() ? "-D" + JAVA_PROPERTY : JAVA_ENV;
        Jdk jdk = describe(homeOf(Paths.get(setting))).orElseThrow(() -> new NoSuitableJdkException(
                name + "=" + setting + " is neither a JDK home (with a 'release' file) nor its bin/java. "
                        + howToFix()));
        if (!newEnough(jdk)) {
            throw new NoSuitableJdkException(name + "=" + setting + " is Java " + jdk.version() + " but " + neededBy
                    + " needs Java " + minimumMajor + "+. " + howToFix());
        }
        return Optional.of(jdk);
    }

    private String howToFix() {
        return "Install a JDK " + minimumMajor + "+ (e.g. apt-get install openjdk-" + minimumMajor
                + "-jdk-headless or Temurin 21/25) or set " + JAVA_ENV + "=/path/to/jdk";
    }

    private List<Jdk> installedUnderRoot() {
        if (!Files.isDirectory(jdkRoot)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jdkRoot)) {
            return dirs.map(JdkLocator::describe).flatMap(Optional::stream).distinct()
                    .sorted(Comparator.comparing(Jdk::version, JdkLocator::compareVersions).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + jdkRoot, e);
        }
    }

    private boolean newEnough(Jdk jdk) {
        return jdk.major() >= minimumMajor;
    }

    private static String versionNote(Optional<Jdk> jdk) {
        return jdk.map(j -> " (Java " + j.version() + ")").orElse(" (not a JDK)");
    }

    /** A path to a JDK home or to its java executable (possibly a symlink like /usr/bin/java) → the home. */
    private static Path homeOf(Path setting) {
        Path path = realPath(setting);
        if (Files.isRegularFile(path) && path.getParent() != null && path.getParent().getParent() != null) {
            return path.getParent().getParent();
        }
        return path;
    }

    /** The JDK at {@code home}, read from its {@code release} file; empty if it is not a usable JDK. */
    static Optional<Jdk> describe(Path home) {
        Path realHome = realPath(home);
        Path release = realHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(release));
            if (!m.find()) {
                return Optional.empty();
            }
            String version = m.group(1).trim();
            return Optional.of(new Jdk(realHome, majorOf(version), version));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** "25.0.3" → 25, "21" → 21, "21-ea" → 21, "1.8.0_402" → 8. */
    static int majorOf(String version) {
        String[] parts = version.split("[^0-9]+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("not a Java version: " + version);
        }
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("[^0-9]+");
        String[] y = b.split("[^0-9]+");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(numberAt(x, i), numberAt(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long numberAt(String[] parts, int i) {
        return i < parts.length && !parts[i].isEmpty() ? Long.parseLong(parts[i]) : 0;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
