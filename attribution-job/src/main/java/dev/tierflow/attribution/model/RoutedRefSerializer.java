package dev.tierflow.attribution.model;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link RoutedRef}, field by field. Half of the join's input is routed
 * attempts, shuffled to the join and held in its state; the reflective POJO serializer showed in the
 * profile of the job's busiest thread. Layout: task and run id ({@link StringValue}), the dimensions
 * role, type, tenant, tier, model and rule ({@link DimensionStrings}: read back as shared strings), then
 * attempt, routedAtMillis and stuckReported.
 */
public final class RoutedRefSerializer extends NoReuseSerializer<RoutedRef> {

    private static final long serialVersionUID = 1L;

    public static final RoutedRefSerializer INSTANCE = new RoutedRefSerializer();

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
        StringValue.writeString(ref.taskId, out);
        StringValue.writeString(ref.runId, out);
        DimensionStrings.write(ref.role, out);
        DimensionStrings.write(ref.taskType, out);
        DimensionStrings.write(ref.tenant, out);
        DimensionStrings.write(ref.tier, out);
        DimensionStrings.write(ref.model, out);
        DimensionStrings.write(ref.rule, out);
        out.writeInt(ref.attempt);
        out.writeLong(ref.routedAtMillis);
        out.writeBoolean(ref.stuckReported);
    }

    @Override
    public RoutedRef deserialize(DataInputView in) throws IOException {
        DimensionStrings dimensions = DimensionStrings.ofThisThread();
        RoutedRef ref = new RoutedRef();
        ref.taskId = StringValue.readString(in);
        ref.runId = StringValue.readString(in);
        ref.role = dimensions.read(in);
        ref.taskType = dimensions.read(in);
        ref.tenant = dimensions.read(in);
        ref.tier = dimensions.read(in);
        ref.model = dimensions.read(in);
        ref.rule = dimensions.read(in);
        ref.attempt = in.readInt();
        ref.routedAtMillis = in.readLong();
        ref.stuckReported = in.readBoolean();
        return ref;
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
