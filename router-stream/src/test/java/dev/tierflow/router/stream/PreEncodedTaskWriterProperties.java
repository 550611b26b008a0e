package dev.tierflow.router.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** Reusing a task's received encoding gives exactly the bytes that encoding the routed task in full gives. */
class PreEncodedTaskWriterProperties {

    @Property(tries = 300)
    void copyingTheReceivedBodyEqualsEncodingTheTask(@ForAll("tasks") AgentTask task, @ForAll("overrideVersions") Long overrideVersion,
                                                     @ForAll("texts") String ruleDetail) throws IOException {
        byte[] received = withHeader(encode(new SpecificDatumWriter<>(AgentTask.class), task));
        Instant routedAt = Instant.ofEpochMilli(1_767_600_000_123L);
        RoutedTask plain = new RoutedTask(task, "mid", "mid-model", "provider", 512, "v7", overrideVersion, RoutingRule.CLASSIFIER, ruleDetail, routedAt);
        RoutedTask preEncoded = new PreEncodedRoutedTask(received, task, "mid", "mid-model", "provider", 512, "v7", overrideVersion,
                RoutingRule.CLASSIFIER, ruleDetail, routedAt);

        byte[] expected = encode(new SpecificDatumWriter<>(RoutedTask.class), plain);
        byte[] actual = encode(new PreEncodedTaskWriter(), preEncoded);

        assertThat(actual).isEqualTo(expected);
        RoutedTask decoded = new SpecificDatumReader<>(RoutedTask.class).read(null, DecoderFactory.get().binaryDecoder(actual, null));
        assertThat(decoded).isEqualTo(plain);
    }

    @Property(tries = 50)
    void anOrdinaryRoutedTaskIsWrittenAsUsual(@ForAll("tasks") AgentTask task) throws IOException {
        RoutedTask plain = new RoutedTask(task, "small", "m", "p", 64, "v1", null, RoutingRule.PIN, "pin x", Instant.EPOCH);

        assertThat(encode(new PreEncodedTaskWriter(), plain)).isEqualTo(encode(new SpecificDatumWriter<>(RoutedTask.class), plain));
    }

    @Provide
    Arbitrary<AgentTask> tasks() {
        Arbitrary<String> text = texts();
        Arbitrary<OutputContract> contracts = Combinators.combine(text.injectNull(0.5), text.list().ofMaxSize(3),
                        Arbitraries.integers().between(1, 10_000).injectNull(0.5))
                .as((schema, fields, maxLength) -> new OutputContract(schema, List.copyOf(fields), null, maxLength, null));
        return Combinators.combine(text, text, text.injectNull(0.5), Arbitraries.integers().between(0, 1_000_000),
                        contracts.injectNull(0.5), Arbitraries.integers().between(0, 5), Arbitraries.maps(text, text).ofMaxSize(3),
                        Arbitraries.longs().between(0, 4_000_000_000_000L))
                .as((id, role, input, tokens, contract, attempt, attributes, createdAt) -> AgentTask.newBuilder()
                        .setTaskId(id).setRunId("run").setTenant("acme").setRole(role).setTaskType("extract")
                        .setInputText(input).setInputTokens(tokens).setOutputContract(contract).setAttempt(attempt)
                        .setEscalatedFromTier(attempt > 0 ? "small" : null).setCreatedAt(Instant.ofEpochMilli(createdAt))
                        .setAttributes(Map.copyOf(attributes)).build());
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().ofMaxLength(40);
    }

    @Provide
    Arbitrary<Long> overrideVersions() {
        return Arbitraries.longs().injectNull(0.5);
    }

    private static <T> byte[] encode(DatumWriter<T> writer, T datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] withHeader(byte[] body) {
        byte[] record = new byte[ReceivedTask.HEADER_LENGTH + body.length];
        record[4] = 42;
        System.arraycopy(body, 0, record, ReceivedTask.HEADER_LENGTH, body.length);
        return record;
    }
}
