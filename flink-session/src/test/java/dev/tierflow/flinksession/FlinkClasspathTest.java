package dev.tierflow.flinksession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlinkClasspathTest {

    @Test
    void readsTheBuildClasspathFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("cp.txt"), "/a.jar:/b.jar\n");

        assertThat(FlinkClasspath.fromFile(file).value()).isEqualTo("/a.jar:/b.jar");
    }

    @Test
    void saysHowToBuildItWhenMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> FlinkClasspath.fromFile(dir.resolve("nope.txt")))
                .hasMessageContaining("./mvnw -pl flink-session -am package");
    }

    @Test
    void findsTheFileFromASiblingModule(@TempDir Path root) throws Exception {
        Path file = root.resolve("flink-session/target/flink-classpath.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "/a.jar");
        Path sibling = Files.createDirectories(root.resolve("attribution-job"));

        assertThat(FlinkClasspath.find(sibling)).hasValue(sibling.resolve("../flink-session/target/flink-classpath.txt"));
        assertThat(FlinkClasspath.find(root)).hasValue(root.resolve("flink-session/target/flink-classpath.txt"));
    }
}
