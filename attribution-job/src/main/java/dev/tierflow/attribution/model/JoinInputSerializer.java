package dev.tierflow.attribution.model;

import dev.tierflow.schemas.ResultSpan;
import java.io.IOException;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link JoinInput}: every input record is shuffled to the join and half of them wait
 * in its state, and the reflective POJO serializer (with Flink's Avro serializer for the span) was a fifth
 * of the source thread's time in a profile. Layout: a tag byte ({@link #ROUTED}, {@link #SPAN},
 * {@link #DEAD_LETTER}), then the one input that is set: a routed attempt by {@link RoutedRefSerializer},
 * a span by an {@link AvroRecordCodec} of its schema, a dead letter field by field. The join's
 * {@link JoinInput#timerNote} is never written.
 */
public final class JoinInputSerializer extends NoReuseSerializer<JoinInput> {

    private static final long serialVersionUID = 1L;

    public static final JoinInputSerializer INSTANCE = new JoinInputSerializer();

    /** The span's few-valued fields, read back as shared strings (see {@link DimensionStrings}). */
    static final AvroRecordCodec<ResultSpan> SPANS = AvroRecordCodec.of(ResultSpan::new,
            Set.of("role", "taskType", "tenant", "tier", "model", "provider", "fallbackFrom"));

    private static final byte ROUTED = 0;
    private static final byte SPAN = 1;
    private static final byte DEAD_LETTER = 2;
    private static final int NO_BYTES = -1;

    @Override
    public JoinInput createInstance() {
        return new JoinInput();
    }

    @Override
    public JoinInput copy(JoinInput from) {
        return from.copy();
    }

    @Override
    public void serialize(JoinInput input, DataOutputView out) throws IOException {
        if (input.routed != null) {
            out.writeByte(ROUTED);
            RoutedRefSerializer.INSTANCE.serialize(input.routed, out);
        } else if (input.span != null) {
            out.writeByte(SPAN);
            SPANS.write(input.span, out);
        } else if (input.deadLetter != null) {
            out.writeByte(DEAD_LETTER);
            writeDeadLetter(input.deadLetter, out);
        } else {
            throw new IOException("a JoinInput must hold a routed attempt, a span or a dead letter; this one holds none");
        }
    }

    @Override
    public JoinInput deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case ROUTED -> JoinInput.routed(RoutedRefSerializer.INSTANCE.deserialize(in));
            case SPAN -> JoinInput.span(SPANS.read(in));
            case DEAD_LETTER -> JoinInput.deadLetter(readDeadLetter(in));
            default -> throw new IOException("unknown JoinInput tag " + tag + ": expected " + ROUTED + " (routed), "
                    + SPAN + " (span) or " + DEAD_LETTER + " (dead letter); the data was not written by this serializer");
        };
    }

    private static void writeDeadLetter(DeadLetter letter, DataOutputView out) throws IOException {
        StringValue.writeString(letter.topic, out);
        out.writeInt(letter.partition);
        out.writeLong(letter.offset);
        writeBytes(letter.key, out);
        writeBytes(letter.value, out);
        StringValue.writeString(letter.reason, out);
        StringValue.writeString(letter.detail, out);
    }

    private static DeadLetter readDeadLetter(DataInputView in) throws IOException {
        DeadLetter letter = new DeadLetter();
        letter.topic = StringValue.readString(in);
        letter.partition = in.readInt();
        letter.offset = in.readLong();
        letter.key = readBytes(in);
        letter.value = readBytes(in);
        letter.reason = StringValue.readString(in);
        letter.detail = StringValue.readString(in);
        return letter;
    }

    private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        if (bytes == null) {
            out.writeInt(NO_BYTES);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length == NO_BYTES) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public TypeSerializerSnapshot<JoinInput> snapshotConfiguration() {
        return new JoinInputSerializerSnapshot(SPANS.schema());
    }
}
