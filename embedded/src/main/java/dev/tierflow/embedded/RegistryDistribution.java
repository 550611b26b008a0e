package dev.tierflow.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The Apicurio Registry server distribution (the {@code io.apicurio:apicurio-registry-app:<v>:tar.gz:all}
 * artifact Maven put in the local repository), unpacked once into a cache directory shared by every JVM
 * of the user.
 */
public final class RegistryDistribution {

    public static final String DIST_PROPERTY = "tierflow.registry.dist";
    public static final String DIST_ENV = "TIERFLOW_REGISTRY_DIST";
    public static final String CACHE_PROPERTY = "tierflow.cache.dir";
    public static final String CACHE_ENV = "TIERFLOW_CACHE_DIR";
    static final String LAUNCHER = "quarkus-run.jar";
    static final String COMPLETE_MARKER = ".tierflow-unpacked";
    private static final String BUILD_INFO = "registry-distribution.properties";

    private final String version;
    private final Path source;
    private final Path cacheRoot;

    /**
     * @param version the registry version, names the cache directory
     * @param source the tar.gz, or a directory where it is already unpacked
     * @param cacheRoot where tarballs are unpacked, e.g. ~/.cache/tierflow
     */
    public RegistryDistribution(String version, Path source, Path cacheRoot) {
        this.version = Objects.requireNonNull(version, "version");
        this.source = Objects.requireNonNull(source, "source");
        this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot");
    }

    /** The distribution this build resolved, unless {@value #DIST_ENV} / {@value #CACHE_ENV} say otherwise. */
    public static RegistryDistribution fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    static RegistryDistribution fromEnvironment(Map<String, String> env, Properties systemProperties) {
        Properties build = buildInfo();
        String version = build.getProperty("version");
        String override = setting(DIST_PROPERTY, DIST_ENV, env, systemProperties);
        Path source = Paths.get(override != null ? override : build.getProperty("archive"));
        String cache = setting(CACHE_PROPERTY, CACHE_ENV, env, systemProperties);
        Path cacheRoot = cache != null ? Paths.get(cache)
                : Paths.get(systemProperties.getProperty("user.home"), ".cache", "tierflow");
        return new RegistryDistribution(version, source, cacheRoot);
    }

    public String version() {
        return version;
    }

    /** The directory holding {@value #LAUNCHER}, unpacking the archive first if no JVM has yet. */
    public Path home() {
        if (Files.isDirectory(source)) {
            return requireLauncher(source);
        }
        Path target = cacheRoot.resolve(unpackedDirName());
        if (!isComplete(target)) {
            if (!Files.isRegularFile(source)) {
                throw new IllegalStateException(missingMessage());
            }
            unpackAtomically(target);
        }
        return requireLauncher(target);
    }

    /** "apicurio-registry-3.3.3" for the usual artifact; an archive from elsewhere gets a directory of its own. */
    private String unpackedDirName() {
        String fileName = source.getFileName().toString();
        if (fileName.equals("apicurio-registry-app-" + version + "-all.tar.gz")) {
            return "apicurio-registry-" + version;
        }
        return "apicurio-registry-" + fileName.replaceFirst("\\.(tar\\.gz|tgz)$", "");
    }

    private String missingMessage() {
        String artifact = "io.apicurio:apicurio-registry-app:" + version + ":tar.gz:all";
        return "The Apicurio Registry " + version + " distribution is missing: " + source + " does not exist. "
                + "It is the Maven artifact " + artifact + "; run ./mvnw install -pl embedded -am (which resolves it) "
                + "or mvn dependency:get -Dtransitive=false -Dartifact=" + artifact + ", or set " + DIST_ENV
                + " to the tar.gz or to a directory where it is unpacked.";
    }

    /**
     * Concurrent test JVMs may race here: each unpacks into its own temporary directory, marks it
     * complete, and renames it into place; the losers throw their copy away. So the target directory
     * either does not exist or is complete.
     */
    private void unpackAtomically(Path target) {
        Path temporary = null;
        try {
            Files.createDirectories(cacheRoot);
            temporary = Files.createTempDirectory(cacheRoot, target.getFileName() + ".unpacking-");
            untar(source, temporary);
            Files.writeString(temporary.resolve(COMPLETE_MARKER), source.toString());
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            if (!isComplete(target)) {
                throw new IllegalStateException(target + " exists but is not a complete unpacked registry: delete it", e);
            }
        } catch (IOException e) {
            if (!isComplete(target)) { // another JVM won the rename (some file systems report it as an IOException)
                throw new UncheckedIOException("could not unpack " + source + " into " + target, e);
            }
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(COMPLETE_MARKER));
    }

    static void untar(Path archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                }
                // The distribution has only files and directories; links and devices are skipped.
            }
        }
    }

    private Path requireLauncher(Path dir) {
        if (!Files.isRegularFile(dir.resolve(LAUNCHER))) {
            throw new IllegalStateException(dir + " has no " + LAUNCHER + ": not an unpacked Apicurio Registry "
                    + "distribution (" + DIST_ENV + " may point at the wrong directory)");
        }
        return dir;
    }

    private static String setting(String property, String envName, Map<String, String> env, Properties props) {
        String value = props.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(envName);
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static Properties buildInfo() {
        Properties properties = new Properties();
        try (InputStream in = RegistryDistribution.class.getResourceAsStream(BUILD_INFO)) {
            if (in == null) {
                throw new IllegalStateException(BUILD_INFO + " is missing from the classpath: rebuild the embedded module");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Leftover temporary directories are harmless: they never have the final name.
        }
    }
}
