package dev.tierflow.attribution.model;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer of {@link RoutedRef}, field by field. Half of the join's input is routed
 * attempts, shuffled to the join and held in its state; the reflective POJO serializer showed in the
 * profile of the job's busiest thread. Layout: a bit per string field that is null, the strings (modified
 * UTF-8), then attempt, routedAtMillis and stuckReported.
 */
public final class RoutedRefSerializer extends NoReuseSerializer<RoutedRef> {

    private static final long serialVersionUID = 1L;

    public static final RoutedRefSerializer INSTANCE = new RoutedRefSerializer();

    private static final int STRINGS = 8;

    @Override
    public RoutedRef createInstance() {
        return new RoutedRef();
    }

    @Override
    public RoutedRef copy(RoutedRef from) {
        return from.copy();
    }

    @Override
    public void serialize(RoutedRef ref, DataOutputView out) throws IOException {
        String[] strings = {ref.taskId, ref.runId, ref.role, ref.taskType, ref.tenant, ref.tier, ref.model, ref.rule};
        int nulls = 0;
        for (int i = 0; i < STRINGS; i++) {
            if (strings[i] == null) {
                nulls |= 1 << i;
            }
        }
        out.writeByte(nulls);
        for (String string : strings) {
            if (string != null) {
                out.writeUTF(string);
            }
        }
        out.writeInt(ref.attempt);
        out.writeLong(ref.routedAtMillis);
        out.writeBoolean(ref.stuckReported);
    }

    @Override
    public RoutedRef deserialize(DataInputView in) throws IOException {
        int nulls = in.readUnsignedByte();
        RoutedRef ref = new RoutedRef();
        ref.taskId = read(in, nulls, 0);
        ref.runId = read(in, nulls, 1);
        ref.role = read(in, nulls, 2);
        ref.taskType = read(in, nulls, 3);
        ref.tenant = read(in, nulls, 4);
        ref.tier = read(in, nulls, 5);
        ref.model = read(in, nulls, 6);
        ref.rule = read(in, nulls, 7);
        ref.attempt = in.readInt();
        ref.routedAtMillis = in.readLong();
        ref.stuckReported = in.readBoolean();
        return ref;
    }

    private static String read(DataInputView in, int nulls, int field) throws IOException {
        return (nulls & (1 << field)) != 0 ? null : in.readUTF();
    }

    @Override
    public TypeSerializerSnapshot<RoutedRef> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a savepoint: it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RoutedRef> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
