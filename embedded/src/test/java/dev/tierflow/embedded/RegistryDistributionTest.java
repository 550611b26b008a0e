package dev.tierflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryDistributionTest {

    @TempDir
    Path dir;

    @Test
    void unpacksTheArchiveOnceIntoAVersionedCacheDirectory() throws IOException {
        Path archive = tarGz("apicurio-registry-app-9.9.9-all.tar.gz",
                Map.of("quarkus-run.jar", "launcher", "lib/main/a.jar", "library"));
        Path cache = dir.resolve("cache");

        Path home = new RegistryDistribution("9.9.9", archive, cache).home();

        assertThat(home).isEqualTo(cache.resolve("apicurio-registry-9.9.9"));
        assertThat(home.resolve("quarkus-run.jar")).hasContent("launcher");
        assertThat(home.resolve("lib/main/a.jar")).hasContent("library");

        // Once unpacked, the archive is no longer needed: the cache is used as it is.
        Files.delete(archive);
        assertThat(new RegistryDistribution("9.9.9", archive, cache).home()).isEqualTo(home);
    }

    @Test
    void concurrentUnpacksLeaveOneCompleteDirectoryAndNoLeftovers() throws Exception {
        Path archive = tarGz("apicurio-registry-app-9.9.9-all.tar.gz", Map.of("quarkus-run.jar", "launcher"));
        Path cache = dir.resolve("cache");
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);

        ExecutorService threads = Executors.newFixedThreadPool(racers);
        List<Path> homes;
        try {
            homes = IntStream.range(0, racers).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                await(start);
                return new RegistryDistribution("9.9.9", archive, cache).home();
            }, threads)).toList().stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdownNow();
        }

        assertThat(homes).containsOnly(cache.resolve("apicurio-registry-9.9.9"));
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries).containsExactly(cache.resolve("apicurio-registry-9.9.9"));
        }
    }

    @Test
    void anArchiveFromElsewhereGetsItsOwnDirectory() throws IOException {
        Path archive = tarGz("patched-registry.tar.gz", Map.of("quarkus-run.jar", "patched"));

        Path home = new RegistryDistribution("9.9.9", archive, dir.resolve("cache")).home();

        assertThat(home).isEqualTo(dir.resolve("cache/apicurio-registry-patched-registry"));
    }

    @Test
    void anUnpackedDirectoryIsUsedAsItIs() throws IOException {
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        Files.writeString(unpacked.resolve("quarkus-run.jar"), "launcher");

        assertThat(new RegistryDistribution("9.9.9", unpacked, dir.resolve("cache")).home()).isEqualTo(unpacked);
    }

    @Test
    void aDirectoryWithoutTheLauncherIsRejected() throws IOException {
        Path wrong = Files.createDirectories(dir.resolve("wrong"));

        assertThatThrownBy(() -> new RegistryDistribution("9.9.9", wrong, dir.resolve("cache")).home())
                .hasMessageContaining(wrong + " has no quarkus-run.jar");
    }

    @Test
    void aMissingArchiveSaysWhichArtifactAndHowToGetIt() {
        Path missing = dir.resolve("apicurio-registry-app-9.9.9-all.tar.gz");

        assertThatThrownBy(() -> new RegistryDistribution("9.9.9", missing, dir.resolve("cache")).home())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing + " does not exist")
                .hasMessageContaining("io.apicurio:apicurio-registry-app:9.9.9:tar.gz:all")
                .hasMessageContaining("./mvnw install -pl embedded -am")
                .hasMessageContaining("TIERFLOW_REGISTRY_DIST");
    }

    @Test
    void entriesEscapingTheTargetAreRefusedAndNothingIsLeftBehind() throws IOException {
        Path archive = tarGz("apicurio-registry-app-9.9.9-all.tar.gz", Map.of("../escaped.jar", "evil"));
        Path cache = dir.resolve("cache");

        assertThatThrownBy(() -> new RegistryDistribution("9.9.9", archive, cache).home())
                .hasRootCauseMessage("archive entry escapes the target directory: ../escaped.jar");
        assertThat(dir.resolve("escaped.jar")).doesNotExist();
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void buildInfoNamesTheResolvedArtifactAndSettingsOverrideIt() {
        Properties noOverrides = new Properties();
        noOverrides.setProperty("user.home", dir.toString());
        RegistryDistribution fromBuild = RegistryDistribution.fromEnvironment(Map.of(), noOverrides);
        assertThat(fromBuild.version()).matches("\\d+\\.\\d+\\.\\d+.*");

        Properties overrides = new Properties();
        overrides.setProperty("user.home", dir.toString());
        overrides.setProperty(RegistryDistribution.DIST_PROPERTY, dir.resolve("elsewhere").toString());
        RegistryDistribution overridden = RegistryDistribution.fromEnvironment(
                Map.of(RegistryDistribution.CACHE_ENV, dir.resolve("cache").toString()), overrides);
        assertThatThrownBy(overridden::home).hasMessageContaining(dir.resolve("elsewhere") + " does not exist");
    }

    private Path tarGz(String name, Map<String, String> files) throws IOException {
        Path archive = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
