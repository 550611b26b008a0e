package dev.tierflow.attribution.model;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * What a checkpoint records of {@link JoinInputSerializer}: the layout's version and the span schema the
 * spans were written with, as the serializer writes a span's fields in that schema's order. State written
 * with another layout or span schema (or by Flink's POJO serializer, before this one) is incompatible:
 * the job does not migrate it.
 */
public final class JoinInputSerializerSnapshot implements TypeSerializerSnapshot<JoinInput> {

    /** The layout of {@link JoinInputSerializer}: raise it when the layout changes. */
    private static final int LAYOUT = 2;

    private Schema spanSchema;

    /** For Flink, which reads the snapshot into an instance made with this constructor. */
    public JoinInputSerializerSnapshot() {
    }

    JoinInputSerializerSnapshot(Schema spanSchema) {
        this.spanSchema = spanSchema;
    }

    @Override
    public int getCurrentVersion() {
        return LAYOUT;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        StringValue.writeString(spanSchema.toString(), out);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion != LAYOUT) {
            throw new IOException("JoinInputSerializer layout " + readVersion + " is unknown to this version of the job (layout "
                    + LAYOUT + "): the join's state cannot be restored");
        }
        spanSchema = new Schema.Parser().parse(StringValue.readString(in));
    }

    @Override
    public TypeSerializer<JoinInput> restoreSerializer() {
        if (!writtenWithCurrentSpanSchema()) {
            // the fields of a span are not where the current serializer would read them
            throw new IllegalStateException("the join's state was written with another ResultSpan schema and cannot be read: "
                    + spanSchema);
        }
        return JoinInputSerializer.INSTANCE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<JoinInput> resolveSchemaCompatibility(
            TypeSerializerSnapshot<JoinInput> oldSnapshot) {
        if (oldSnapshot instanceof JoinInputSerializerSnapshot old && old.writtenWithCurrentSpanSchema()) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }

    private boolean writtenWithCurrentSpanSchema() {
        return spanSchema.equals(JoinInputSerializer.SPANS.schema());
    }
}
