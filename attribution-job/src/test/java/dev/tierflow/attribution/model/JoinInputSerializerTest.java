package dev.tierflow.attribution.model;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.StuckTask;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class JoinInputSerializerTest {

    private static final JoinInputSerializer SERIALIZER = JoinInputSerializer.INSTANCE;

    @Test
    void aRoutedAttemptSurvivesTheRoundTrip() throws IOException {
        RoutedRef routed = JoinInputs.routed();
        routed.stuckReported = true;

        assertSameAfterRoundTrip(JoinInput.routed(routed));
    }

    @Test
    void aSpanWithEveryFieldSetSurvivesTheRoundTrip() throws IOException {
        ResultSpan full = JoinInputs.fullSpan();

        JoinInput back = roundTrip(JoinInput.span(full));

        assertThat(back.span).isEqualTo(full).isNotSameAs(full);
        assertThat(back.routed).isNull();
        assertThat(back.deadLetter).isNull();
    }

    @Test
    void theDimensionsOfTwoInputsReadOnOneThreadAreSharedStrings() throws IOException {
        JoinInput first = roundTrip(JoinInput.span(JoinInputs.fullSpan()));
        JoinInput second = roundTrip(JoinInput.span(JoinInputs.fullSpan()));
        JoinInput routed = roundTrip(JoinInput.routed(JoinInputs.routed()));
        JoinInput routedAgain = roundTrip(JoinInput.routed(JoinInputs.routed()));

        assertThat(second.span.getRole()).isSameAs(first.span.getRole());
        assertThat(second.span.getModel()).isSameAs(first.span.getModel());
        assertThat(second.span.getSpanId()).as("ids are not pooled").isEqualTo(first.span.getSpanId()).isNotSameAs(first.span.getSpanId());
        assertThat(routedAgain.routed.tenant).isSameAs(routed.routed.tenant);
        assertThat(routedAgain.routed.rule).isSameAs(routed.routed.rule);
    }

    @Test
    void aSpansNullableFieldsStayNull() throws IOException {
        ResultSpan sparse = span("t-1").build();
        sparse.setFallbackFrom(null);
        sparse.setQuality(null);
        sparse.setCheckPassed(null);
        sparse.setCheckDetail(null);

        assertThat(roundTrip(JoinInput.span(sparse)).span).isEqualTo(sparse);
    }

    @Test
    void aDeadLetterSurvivesTheRoundTripWithItsBytes() throws IOException {
        assertSameAfterRoundTrip(JoinInput.deadLetter(DeadLetter.of("results.small", 3, 42L, new byte[] {7},
                new byte[] {0, 1, 2, -1}, "UNDECODABLE", "not Avro")));
    }

    @Test
    void aDeadLetterWithoutKeyValueOrDetailKeepsThemNull() throws IOException {
        assertSameAfterRoundTrip(JoinInput.deadLetter(DeadLetter.of("results.small", 0, 0L, null, null, "MISSING_VALUE", null)));
    }

    @Test
    void anEmptyByteArrayStaysEmptyNotNull() throws IOException {
        JoinInput back = roundTrip(JoinInput.deadLetter(DeadLetter.of("t", 0, 0L, new byte[0], null, "MISSING_VALUE", "")));

        assertThat(back.deadLetter.key).isEmpty();
        assertThat(back.deadLetter.value).isNull();
    }

    @Test
    void theJoinsTimerNoteIsNeitherWrittenNorCopied() throws IOException {
        JoinInput waiting = JoinInput.routed(JoinInputs.routed());
        waiting.timerNote = new NotedTimer("t-1#2", 1_000L, 0L);

        assertThat(roundTrip(waiting).timerNote).isNull();
        assertThat(SERIALIZER.copy(waiting).timerNote).isNull();
    }

    @Test
    void inputsInARowAreReadBackInOrder() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(JoinInput.span(JoinInputs.fullSpan()), out);
        SERIALIZER.serialize(JoinInput.routed(JoinInputs.routed()), out);
        SERIALIZER.serialize(JoinInput.deadLetter(DeadLetter.of("t", 1, 2L, null, new byte[] {9}, "UNDECODABLE", "x")), out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

        assertThat(SERIALIZER.deserialize(in).span).isEqualTo(JoinInputs.fullSpan());
        assertThat(SERIALIZER.deserialize(in).routed).usingRecursiveComparison().isEqualTo(JoinInputs.routed());
        assertThat(SERIALIZER.deserialize(in).deadLetter.value).containsExactly(9);
        assertThat(in.available()).isZero();
    }

    @Test
    void anUnknownTagIsAClearError() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {7, 0, 0, 0});

        assertThatThrownBy(() -> SERIALIZER.deserialize(in))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown JoinInput tag 7");
    }

    @Test
    void anInputHoldingNothingIsAClearError() {
        assertThatThrownBy(() -> SERIALIZER.serialize(new JoinInput(), new DataOutputSerializer(16)))
                .isInstanceOf(IOException.class).hasMessageContaining("holds none");
    }

    @Test
    void aCopySharesNothingTheJoinOrTheSourceChanges() {
        JoinInput routed = JoinInput.routed(JoinInputs.routed());
        JoinInput routedCopy = SERIALIZER.copy(routed);
        routed.routed.stuckReported = true;
        routed.routed.tier = "frontier";
        assertThat(routedCopy.routed.stuckReported).isFalse();
        assertThat(routedCopy.routed.tier).isEqualTo("mid");

        JoinInput span = JoinInput.span(JoinInputs.fullSpan());
        JoinInput spanCopy = SERIALIZER.copy(span);
        span.span.setTier("frontier");
        assertThat(spanCopy.span).isNotSameAs(span.span).isEqualTo(JoinInputs.fullSpan());

        JoinInput letter = JoinInput.deadLetter(DeadLetter.of("t", 0, 0L, new byte[] {1}, new byte[] {2}, "UNDECODABLE", "x"));
        JoinInput letterCopy = SERIALIZER.copy(letter);
        letter.deadLetter.key[0] = 5;
        letter.deadLetter.value[0] = 6;
        assertThat(letterCopy.deadLetter.key).containsExactly(1);
        assertThat(letterCopy.deadLetter.value).containsExactly(2);
    }

    @Test
    void flinkUsesItWhereverItMeetsTheType() {
        TypeInformation<JoinInput> info = TypeInformation.of(JoinInput.class);

        assertThat(info).isInstanceOf(JoinInputTypeInfo.class).isEqualTo(new JoinInputTypeInfo());
        assertThat(info.createSerializer(new SerializerConfigImpl())).isSameAs(JoinInputSerializer.INSTANCE);
    }

    @Test
    void aSnapshotOfTheSameSpanSchemaRestoresTheSameSerializer() {
        var snapshot = SERIALIZER.snapshotConfiguration();

        assertThat(snapshot.restoreSerializer()).isSameAs(JoinInputSerializer.INSTANCE);
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(snapshot).isCompatibleAsIs()).isTrue();
    }

    @Test
    void stateWrittenWithAnotherSpanSchemaOrByThePojoSerializerIsIncompatible() {
        var otherSchema = new JoinInputSerializerSnapshot(StuckTask.getClassSchema());
        TypeSerializerSnapshot<JoinInput> pojo = anyOtherSnapshot(
                TypeInformation.of(DeadLetter.class).createSerializer(new SerializerConfigImpl()).snapshotConfiguration());

        var current = SERIALIZER.snapshotConfiguration();

        assertThat(current.resolveSchemaCompatibility(otherSchema).isIncompatible()).isTrue();
        assertThatThrownBy(otherSchema::restoreSerializer).isInstanceOf(IllegalStateException.class);
        assertThat(current.resolveSchemaCompatibility(pojo).isIncompatible()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static TypeSerializerSnapshot<JoinInput> anyOtherSnapshot(TypeSerializerSnapshot<?> snapshot) {
        return (TypeSerializerSnapshot<JoinInput>) snapshot;
    }

    private static void assertSameAfterRoundTrip(JoinInput input) throws IOException {
        JoinInput back = roundTrip(input);

        assertThat(back).usingRecursiveComparison().isEqualTo(input);
        assertThat(back).isNotSameAs(input);
    }

    private static JoinInput roundTrip(JoinInput input) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(input, out);
        return SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
