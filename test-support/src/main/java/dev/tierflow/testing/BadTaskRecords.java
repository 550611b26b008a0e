package dev.tierflow.testing;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.PolicyRule;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A corpus of records on {@code tasks} that the router must dead-letter, each with the reason it must give:
 * what a careless or hostile producer sends. Built against the serializer of the registry under test, so
 * the schema ids in it are that registry's. The fuzz properties mix these with good tasks.
 */
public final class BadTaskRecords {

    /** One bad record: its name (for a failing test's message), its value, and where it must end. */
    public record BadRecord(String name, byte[] value, DeadLetterReason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private BadTaskRecords() {
    }

    /**
     * @param encodeTask the {@code tasks} value serializer of the registry under test
     * @param encodeRule the {@code policy} value serializer of the same registry (for a record of another contract)
     * @param idPrefix   task ids start with it, so a test can tell its records apart
     */
    public static List<BadRecord> corpus(Function<AgentTask, byte[]> encodeTask, Function<PolicyRule, byte[]> encodeRule, String idPrefix) {
        byte[] valid = encodeTask.apply(TaskBuilder.task(idPrefix + "-valid").build());
        List<BadRecord> corpus = new ArrayList<>();
        corpus.add(new BadRecord("null value", null, DeadLetterReason.MISSING_VALUE));
        corpus.add(new BadRecord("empty value", new byte[0], DeadLetterReason.MISSING_VALUE));
        corpus.add(new BadRecord("text, not a framed record", "{\"taskId\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                DeadLetterReason.UNDECODABLE));
        corpus.add(new BadRecord("magic byte and half an id", new byte[] {0, 0, 1}, DeadLetterReason.UNDECODABLE));
        corpus.add(new BadRecord("schema id the registry never gave out", frame(987_654_321, Arrays.copyOfRange(valid, 5, valid.length)),
                DeadLetterReason.UNKNOWN_SCHEMA_ID));
        corpus.add(new BadRecord("valid body and a decision-shaped tail", concat(valid, avroStrings("frontier", "claude-opus-4-6")),
                DeadLetterReason.TRAILING_BYTES));
        corpus.add(new BadRecord("valid body and one zero byte", concat(valid, new byte[] {0}), DeadLetterReason.TRAILING_BYTES));
        corpus.add(new BadRecord("body cut short", Arrays.copyOf(valid, valid.length - 3), DeadLetterReason.UNDECODABLE));
        corpus.add(new BadRecord("header only", Arrays.copyOf(valid, 5), DeadLetterReason.UNDECODABLE));
        // the first field (taskId) claims 2^31-1 bytes: the reader must refuse it, not try to allocate it
        corpus.add(new BadRecord("string claiming 2 GB", concat(Arrays.copyOf(valid, 5), zigZagVarint(Integer.MAX_VALUE)),
                DeadLetterReason.UNDECODABLE));
        corpus.add(new BadRecord("negative string length", concat(Arrays.copyOf(valid, 5), zigZagVarint(-7)),
                DeadLetterReason.UNDECODABLE));
        corpus.add(new BadRecord("a policy rule on the tasks topic",
                encodeRule.apply(PolicyRuleBuilder.override("role=worker").tier("small").build()), DeadLetterReason.UNDECODABLE));
        corpus.add(invalid(encodeTask, "negative input tokens", TaskBuilder.task(idPrefix + "-negative").inputTokens(-1)));
        corpus.add(invalid(encodeTask, "zero requested budget", TaskBuilder.task(idPrefix + "-zero-budget").requestedMaxOutputTokens(0)));
        corpus.add(invalid(encodeTask, "empty role", TaskBuilder.task(idPrefix + "-empty-role").role("")));
        corpus.add(invalid(encodeTask, "role forging a type scope", TaskBuilder.task(idPrefix + "-forged-role").role("worker/type=extract")));
        corpus.add(invalid(encodeTask, "tenant with a NUL", TaskBuilder.task(idPrefix + "-nul-tenant").tenant("acme\u0000")));
        corpus.add(invalid(encodeTask, "tenant with a wildcard", TaskBuilder.task(idPrefix + "-star-tenant").tenant("*")));
        corpus.add(invalid(encodeTask, "task type of 10,000 characters", TaskBuilder.task(idPrefix + "-huge-type").type("x".repeat(10_000))));
        corpus.add(invalid(encodeTask, "escalation on attempt 0",
                TaskBuilder.task(idPrefix + "-escalated-0").escalatedFrom("small", 1).attempt(0)));
        corpus.add(new BadRecord("absurd attempt number",
                encodeTask.apply(TaskBuilder.task(idPrefix + "-attempt-max").escalatedFrom("small", Integer.MAX_VALUE).build()),
                DeadLetterReason.MAX_ATTEMPTS_EXCEEDED));
        return List.copyOf(corpus);
    }

    /**
     * Records on {@code policy} that must never be applied: garbage, unknown tiers, forged scopes, keys that
     * disagree with their rule, rules that change nothing, and keys that spell {@code role=planner} another way
     * (none of them may touch role=planner's own override).
     */
    public static List<byte[][]> poisonOverrides(Function<PolicyRule, byte[]> encodeRule) {
        List<byte[][]> poison = new ArrayList<>();
        poison.add(keyed("role=worker", "not avro".getBytes(StandardCharsets.UTF_8)));
        poison.add(keyed("role=worker", frame(987_654_321, new byte[] {2, 'x'})));
        poison.add(keyed("role=worker", encodeRule.apply(PolicyRuleBuilder.override("role=worker").tier("gigantic").build())));
        poison.add(keyed("role=worker", encodeRule.apply(PolicyRuleBuilder.override("role=planner").tier("small").build())));
        poison.add(keyed("role=worker/type=*", encodeRule.apply(PolicyRuleBuilder.override("role=worker/type=*").tier("small").build())));
        poison.add(keyed("role=worker\u0000", encodeRule.apply(PolicyRuleBuilder.override("role=worker\u0000").tier("small").build())));
        poison.add(keyed("tenant=acme", encodeRule.apply(PolicyRuleBuilder.override("tenant=acme").build())));
        poison.add(keyed("role=worker", encodeRule.apply(PolicyRuleBuilder.override("role=worker").maxOutputTokens(-5).build())));
        poison.add(keyed("role=worker", encodeRule.apply(PolicyRuleBuilder.override("role=worker").tier("small").model("no-such-priced-model").build())));
        poison.add(keyed("not a scope", encodeRule.apply(PolicyRuleBuilder.override("not a scope").tier("small").build())));
        // spellings of role=planner that are not its key: they must neither set nor remove role=planner's override
        poison.add(keyed("role=planner ", encodeRule.apply(PolicyRuleBuilder.override("role=planner").tier("mid").build())));
        poison.add(keyed("type=plan/role=planner", encodeRule.apply(PolicyRuleBuilder.override("role=planner/type=plan").tier("mid").build())));
        poison.add(keyed("role=planner\u0000", null));
        return List.copyOf(poison);
    }

    private static BadRecord invalid(Function<AgentTask, byte[]> encodeTask, String name, TaskBuilder task) {
        return new BadRecord(name, encodeTask.apply(task.build()), DeadLetterReason.INVALID_FIELD);
    }

    private static byte[][] keyed(String key, byte[] value) {
        return new byte[][] {key.getBytes(StandardCharsets.UTF_8), value};
    }

    private static byte[] frame(int schemaId, byte[] body) {
        return concat(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array(), body);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** Avro's encoding of strings: zig-zag varint length, then UTF-8. */
    private static byte[] avroStrings(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(zigZagVarint(utf8.length));
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }

    private static byte[] zigZagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }
}
