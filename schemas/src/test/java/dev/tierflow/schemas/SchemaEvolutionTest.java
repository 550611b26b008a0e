package dev.tierflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every contract must stay backward compatible with its last released version: a consumer on the new
 * schema reads what producers on the released one wrote. Released schemas are kept under
 * {@code src/test/resources/released/<version>/}.
 */
class SchemaEvolutionTest {

    /** Newest release first; add a directory when a version is released. */
    static final List<String> RELEASES = List.of("0.1.0");

    /** Schemas with a released copy. */
    static Stream<Schema> releasedSchemas() {
        return Stream.of(AgentTask.getClassSchema(), RoutedTask.getClassSchema(), ResultSpan.getClassSchema(),
                CostQualityStats.getClassSchema(), Alert.getClassSchema(), PolicyRule.getClassSchema());
    }

    /** Every schema, including those added since the last release (they get a released copy when it ships). */
    static Stream<Schema> currentSchemas() {
        return Stream.concat(releasedSchemas(), Stream.of(StuckTask.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemas")
    void isBackwardCompatibleWithItsLastRelease(Schema current) {
        Schema released = released(lastRelease(), current.getName());

        var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        assertThat(result.getType())
                .as("%s must read data written with release %s: %s", current.getName(), lastRelease(), result.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void everyFieldIsDocumented(Schema current) {
        walkRecords(current, record -> {
            assertThat(record.getDoc()).as("doc of %s", record.getFullName()).isNotBlank();
            record.getFields().forEach(field ->
                    assertThat(field.doc()).as("doc of %s.%s", record.getName(), field.name()).isNotBlank());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void moneyIsIntegerMicrosAndTimesAreTimestampMillis(Schema current) {
        walkRecords(current, record -> record.getFields().forEach(field -> {
            Schema type = nonNull(field.schema());
            if (field.name().endsWith("Micros")) {
                assertThat(type.getType()).as("%s.%s", record.getName(), field.name()).isEqualTo(Schema.Type.LONG);
                assertThat(type.getLogicalType()).isNull();
            }
            if (field.name().endsWith("At") || field.name().equals("windowStart") || field.name().equals("windowEnd")) {
                assertThat(type.getLogicalType()).as("%s.%s", record.getName(), field.name()).isEqualTo(LogicalTypes.timestampMillis());
            }
        }));
    }

    @Test
    void theCheckCatchesAnIncompatibleChange() {
        Schema released = released(lastRelease(), "AgentTask");
        String withNewRequiredField = released.toString().replaceFirst("\"fields\":\\[",
                "\"fields\":[{\"name\":\"costCenter\",\"type\":\"string\",\"doc\":\"no default: old data has no value for it\"},");
        Schema incompatible = new Schema.Parser().parse(withNewRequiredField);

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(incompatible, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void noReleasedSchemaWasDropped() {
        List<String> current = currentSchemas().map(Schema::getName).toList();
        for (String name : List.of("AgentTask", "RoutedTask", "ResultSpan", "CostQualityStats", "Alert", "PolicyRule")) {
            assertThat(released(lastRelease(), name)).isNotNull();
            assertThat(current).contains(name);
        }
    }

    private static String lastRelease() {
        return RELEASES.stream().max(Comparator.comparing(SchemaEvolutionTest::versionKey)).orElseThrow();
    }

    private static String versionKey(String version) {
        StringBuilder key = new StringBuilder();
        for (String part : version.split("\\.")) {
            key.append(String.format("%06d", Integer.parseInt(part)));
        }
        return key.toString();
    }

    private static Schema released(String version, String name) {
        String resource = "/released/" + version + "/" + name + ".avsc";
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("released schema %s", resource).isNotNull();
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
        }
        return schema;
    }

    private static void walkRecords(Schema schema, java.util.function.Consumer<Schema> visit) {
        walk(schema, visit, new java.util.HashSet<>());
    }

    private static void walk(Schema schema, java.util.function.Consumer<Schema> visit, java.util.Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    visit.accept(schema);
                    schema.getFields().forEach(f -> walk(f.schema(), visit, seen));
                }
            }
            case UNION -> schema.getTypes().forEach(s -> walk(s, visit, seen));
            case ARRAY -> walk(schema.getElementType(), visit, seen);
            case MAP -> walk(schema.getValueType(), visit, seen);
            default -> {
            }
        }
    }
}
