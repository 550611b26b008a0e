package dev.tierflow.router;

import static dev.tierflow.router.RouterTopologyTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TaskBuilder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.streams.test.TestRecord;

/** The router forwards only bytes it has read to their end: no suffix on a valid body ever reaches a tier topic. */
class TrailingBytesProperties {

    private RouterHarness router;

    @BeforeProperty
    void startRouter() {
        router = new RouterHarness();
    }

    @AfterProperty
    void stopRouter() {
        router.close();
    }

    @Property(tries = 200)
    void anySuffixOnAValidBodyIsDeadLetteredAsTrailingBytesNeverRouted(@ForAll("validTasks") AgentTask task,
                                                                       @ForAll("suffixes") byte[] suffix) {
        byte[] valid = router.serdes.valueSerde(Topics.TASKS).serializer().serialize(Topics.TASKS.name(), task);
        byte[] crafted = Arrays.copyOf(valid, valid.length + suffix.length);
        System.arraycopy(suffix, 0, crafted, valid.length, suffix.length);

        router.rawTasks.pipeInput(null, crafted);

        assertThat(router.drainTiers()).isEmpty();
        List<TestRecord<byte[], byte[]>> deadLetters = router.drainDeadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0).headers(), DeadLetterHeaders.REASON)).isEqualTo("TRAILING_BYTES");
        assertThat(deadLetters.get(0).value()).isEqualTo(crafted);
    }

    @Provide
    Arbitrary<byte[]> suffixes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
        // Suffixes shaped like a RoutedTask's decision fields: a string tier, a model, a budget
        Arbitrary<byte[]> decisionLike = Combinators.combine(Arbitraries.of("small", "mid", "frontier"), Arbitraries.strings().alpha().ofMaxLength(20),
                        Arbitraries.integers().between(0, 1_000_000))
                .as((tier, model, budget) -> {
                    var out = new java.io.ByteArrayOutputStream();
                    writeString(out, tier);
                    writeString(out, model);
                    writeLong(out, budget);
                    return out.toByteArray();
                });
        return Arbitraries.oneOf(random, decisionLike);
    }

    @Provide
    Arbitrary<AgentTask> validTasks() {
        Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> roles = Arbitraries.of("planner", "worker", "file-ops", "researcher");
        Arbitrary<Integer> inputTokens = Arbitraries.integers().between(0, 200_000);
        Arbitrary<String> hints = Arbitraries.of("needs-reasoning", "mechanical").injectNull(0.5);
        return Combinators.combine(ids, roles, inputTokens, hints).as((id, role, size, hint) -> {
            TaskBuilder task = TaskBuilder.task(id).role(role).inputTokens(size);
            if (hint != null) {
                task.attribute("tierflow.hint", hint);
            }
            return task.build();
        });
    }

    private static void writeString(java.io.ByteArrayOutputStream out, String value) {
        byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writeLong(out, utf8.length);
        out.writeBytes(utf8);
    }

    /** Avro's zig-zag varint. */
    private static void writeLong(java.io.ByteArrayOutputStream out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }
}
