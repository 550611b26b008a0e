package dev.tierflow.attribution.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.ResultSpan;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Whatever the join's input holds, it reads back the same, also many in a row. */
class JoinInputSerializerProperties {

    private static final JoinInputSerializer SERIALIZER = JoinInputSerializer.INSTANCE;

    @Property
    void everyInputReadsBackTheSame(@ForAll("inputs") List<JoinInput> inputs) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (JoinInput input : inputs) {
            SERIALIZER.serialize(input, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

        List<JoinInput> back = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            back.add(SERIALIZER.deserialize(in));
        }

        assertThat(back).usingRecursiveFieldByFieldElementComparator().isEqualTo(inputs);
        assertThat(in.available()).isZero();
    }

    @Property
    void aCopyEqualsItsOriginal(@ForAll("input") JoinInput input) {
        assertThat(SERIALIZER.copy(input)).usingRecursiveComparison().isEqualTo(input);
    }

    @Provide
    Arbitrary<List<JoinInput>> inputs() {
        return input().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<JoinInput> input() {
        return Arbitraries.oneOf(routed().map(JoinInput::routed), spans().map(JoinInput::span),
                deadLetters().map(JoinInput::deadLetter));
    }

    private static Arbitrary<RoutedRef> routed() {
        return Builders.withBuilder(RoutedRef::new)
                .use(strings()).in((ref, value) -> { ref.taskId = value; return ref; })
                .use(Arbitraries.integers()).in((ref, value) -> { ref.attempt = value; return ref; })
                .use(strings()).in((ref, value) -> { ref.runId = value; return ref; })
                .use(strings()).in((ref, value) -> { ref.role = value; return ref; })
                .use(strings()).in((ref, value) -> { ref.taskType = value; return ref; })
                .use(strings()).in((ref, value) -> { ref.tenant = value; return ref; })
                .use(strings()).in((ref, value) -> { ref.tier = value; return ref; })
                .use(strings()).in((ref, value) -> { ref.model = value; return ref; })
                .use(strings()).in((ref, value) -> { ref.rule = value; return ref; })
                .use(Arbitraries.longs()).in((ref, value) -> { ref.routedAtMillis = value; return ref; })
                .use(Arbitraries.of(true, false)).in((ref, value) -> { ref.stuckReported = value; return ref; })
                .build();
    }

    private static Arbitrary<DeadLetter> deadLetters() {
        return Builders.withBuilder(DeadLetter::new)
                .use(strings()).in((letter, value) -> { letter.topic = value; return letter; })
                .use(Arbitraries.integers()).in((letter, value) -> { letter.partition = value; return letter; })
                .use(Arbitraries.longs()).in((letter, value) -> { letter.offset = value; return letter; })
                .use(bytes()).in((letter, value) -> { letter.key = value; return letter; })
                .use(bytes()).in((letter, value) -> { letter.value = value; return letter; })
                .use(strings()).in((letter, value) -> { letter.reason = value; return letter; })
                .use(strings()).in((letter, value) -> { letter.detail = value; return letter; })
                .build();
    }

    /** A value for every field of the schema, so a field added to the span is covered without touching this test. */
    private static Arbitrary<ResultSpan> spans() {
        List<Arbitrary<Object>> fields = new ArrayList<>();
        for (Schema.Field field : ResultSpan.getClassSchema().getFields()) {
            fields.add(valuesOf(field.schema()));
        }
        return Combinators.combine(fields).as(values -> {
            ResultSpan span = new ResultSpan();
            for (int i = 0; i < values.size(); i++) {
                span.put(i, values.get(i));
            }
            return span;
        });
    }

    private static Arbitrary<Object> valuesOf(Schema schema) {
        if (schema.getLogicalType() != null) {
            // timestamp-millis, the only logical type in the span
            return Arbitraries.longs().between(-62_135_596_800_000L, 253_402_300_799_999L) // years 1 to 9999
                    .map(Instant::ofEpochMilli).map(Object.class::cast);
        }
        Arbitrary<?> values = switch (schema.getType()) {
            case STRING -> Arbitraries.strings().ofMaxLength(30);
            case INT -> Arbitraries.integers();
            case LONG -> Arbitraries.longs();
            case DOUBLE -> Arbitraries.doubles();
            case BOOLEAN -> Arbitraries.of(true, false);
            case ENUM -> Arbitraries.of(SpecificData.get().getClass(schema).getEnumConstants());
            case UNION -> valuesOf(schema.getTypes().get(1)).injectNull(0.3); // ["null", X], the span's only unions
            default -> throw new IllegalArgumentException("no values for " + schema);
        };
        return values.map(Object.class::cast);
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.strings().ofMaxLength(30).injectNull(0.1);
    }

    private static Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.2);
    }
}
