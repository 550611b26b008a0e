package dev.tierflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code schemas/self-contained/<Name>.avsc} holds each contract record with every named type it uses inlined,
 * so a client in another language (Python's avro, confluent-kafka) parses one file alone. The files are the
 * generated classes' own schemas, so they cannot drift from what the Java serdes write. After changing a
 * schema, regenerate them with {@code -Dtierflow.schemas.write=true} on this test and commit the result.
 */
class SelfContainedSchemasTest {

    private static final Path SOURCES = Path.of("src", "main", "avro");
    private static final Path SELF_CONTAINED = Path.of("self-contained");

    /** Every top-level record schema of the sources (the shared types under common/ are inlined into these). */
    static List<String> contractRecords() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".avsc"))
                    .map(n -> n.substring(0, n.length() - ".avsc".length())).sorted().toList();
        }
    }

    private static Schema classSchema(String name) throws ReflectiveOperationException {
        return (Schema) Class.forName("dev.tierflow.schemas." + name).getMethod("getClassSchema").invoke(null);
    }

    @Test
    void everyContractRecordIsCovered() throws IOException {
        assertThat(contractRecords()).containsExactlyInAnyOrder(
                "AgentTask", "RoutedTask", "ResultSpan", "CostQualityStats", "Alert", "PolicyRule", "StuckTask");
    }

    @ParameterizedTest
    @MethodSource("contractRecords")
    void theCommittedFileIsTheGeneratedClassSchema(String name) throws Exception {
        Path file = SELF_CONTAINED.resolve(name + ".avsc");
        String generated = classSchema(name).toString(true) + "\n";
        if (Boolean.getBoolean("tierflow.schemas.write")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }

        assertThat(file).as("schemas/self-contained/%s.avsc (regenerate: -Dtierflow.schemas.write=true)", name).isRegularFile();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as("schemas/self-contained/%s.avsc is stale: regenerate it with -Dtierflow.schemas.write=true", name)
                .isEqualTo(generated);
    }

    @ParameterizedTest
    @MethodSource("contractRecords")
    void eachFileParsesAloneToTheContract(String name) throws Exception {
        // a fresh parser knows no other type: any name not defined inline fails to resolve
        Schema parsed = new Schema.Parser().parse(SELF_CONTAINED.resolve(name + ".avsc").toFile());

        assertThat(parsed.getFullName()).isEqualTo("dev.tierflow.schemas." + name);
        assertThat(parsed).isEqualTo(classSchema(name));
    }

    @ParameterizedTest
    @MethodSource("contractRecords")
    void theJarCarriesTheFileUnderSchemas(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/schemas/" + name + ".avsc")) {
            assertThat(in).as("schemas/%s.avsc on the classpath", name).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(classSchema(name).toString(true) + "\n");
        }
    }

    @Test
    void theSourceFileOfARecordThatUsesSharedTypesDoesNotParseAlone() {
        // why the self-contained files exist: AgentTask.avsc names OutputContract from common/
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Schema.Parser().parse(SOURCES.resolve("AgentTask.avsc").toFile()))
                .hasMessageContaining("OutputContract");
    }
}
