package dev.tierflow.attribution.model;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes the fields of an Avro specific record straight to Flink's data views, in schema order, with no
 * Avro encoder or decoder in between: Flink's Avro serializer showed in the job's profile. The schema is
 * walked once, into one codec per field.
 *
 * <p>Supports strings, int, long, double, float, boolean, enums (by ordinal), timestamp-millis (as epoch
 * millis) and unions of null and one of these (a null byte, then the value). Any other schema fails at
 * construction, not at the first record.
 */
public final class AvroRecordCodec<T extends SpecificRecordBase> {

    private final Supplier<T> factory;
    private final Schema schema;
    private final FieldCodec[] fields;

    private AvroRecordCodec(Supplier<T> factory, Set<String> dimensions) {
        this.factory = factory;
        T sample = factory.get();
        this.schema = sample.getSchema();
        SpecificData data = new SpecificData(sample.getClass().getClassLoader());
        List<Schema.Field> schemaFields = schema.getFields();
        this.fields = new FieldCodec[schemaFields.size()];
        for (Schema.Field field : schemaFields) {
            fields[field.pos()] = codecOf(field.schema(), field.name(), data, dimensions.contains(field.name()));
        }
    }

    /**
     * @param factory creates an empty record, e.g. {@code ResultSpan::new}
     * @param dimensions the string fields with few distinct values, written as {@link DimensionStrings}
     */
    public static <T extends SpecificRecordBase> AvroRecordCodec<T> of(Supplier<T> factory, Set<String> dimensions) {
        return new AvroRecordCodec<>(factory, dimensions);
    }

    public Schema schema() {
        return schema;
    }

    public void write(T record, DataOutputView out) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            fields[i].writer.write(record.get(i), out);
        }
    }

    public T read(DataInputView in) throws IOException {
        DimensionStrings dimensions = DimensionStrings.ofThisThread();
        T record = factory.get();
        for (int i = 0; i < fields.length; i++) {
            record.put(i, fields[i].reader.read(in, dimensions));
        }
        return record;
    }

    private interface Writer {
        void write(Object value, DataOutputView out) throws IOException;
    }

    private interface Reader {
        Object read(DataInputView in, DimensionStrings dimensions) throws IOException;
    }

    private record FieldCodec(Writer writer, Reader reader) {
    }

    private static FieldCodec codecOf(Schema schema, String field, SpecificData data, boolean dimension) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null) {
            return logicalCodecOf(schema, field);
        }
        return switch (schema.getType()) {
            case STRING -> dimension
                    ? new FieldCodec((value, out) -> DimensionStrings.write(value == null ? null : value.toString(), out),
                            (in, dimensions) -> dimensions.read(in))
                    : new FieldCodec((value, out) -> StringValue.writeString((CharSequence) value, out),
                            (in, dimensions) -> StringValue.readString(in));
            case INT -> new FieldCodec((value, out) -> out.writeInt((Integer) value), (in, dimensions) -> in.readInt());
            case LONG -> new FieldCodec((value, out) -> out.writeLong((Long) value), (in, dimensions) -> in.readLong());
            case DOUBLE -> new FieldCodec((value, out) -> out.writeDouble((Double) value), (in, dimensions) -> in.readDouble());
            case FLOAT -> new FieldCodec((value, out) -> out.writeFloat((Float) value), (in, dimensions) -> in.readFloat());
            case BOOLEAN -> new FieldCodec((value, out) -> out.writeBoolean((Boolean) value), (in, dimensions) -> in.readBoolean());
            case ENUM -> enumCodecOf(schema, field, data);
            case UNION -> nullableCodecOf(schema, field, data, dimension);
            default -> throw unsupported(schema, field);
        };
    }

    private static FieldCodec logicalCodecOf(Schema schema, String field) {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis && schema.getType() == Schema.Type.LONG) {
            // the generated class holds an Instant (Avro's default conversion for timestamp-millis)
            return new FieldCodec((value, out) -> out.writeLong(((Instant) value).toEpochMilli()),
                    (in, dimensions) -> Instant.ofEpochMilli(in.readLong()));
        }
        throw unsupported(schema, field);
    }

    private static FieldCodec enumCodecOf(Schema schema, String field, SpecificData data) {
        Class<?> type = data.getClass(schema);
        Object[] constants = type == null ? null : type.getEnumConstants();
        if (constants == null || constants.length != schema.getEnumSymbols().size() || constants.length > 256) {
            throw unsupported(schema, field);
        }
        // the generated enum declares the schema's symbols in schema order, so ordinal and symbol index agree
        return new FieldCodec((value, out) -> out.writeByte(((Enum<?>) value).ordinal()), (in, dimensions) -> {
            int ordinal = in.readUnsignedByte();
            if (ordinal >= constants.length) {
                throw new IOException("field '" + field + "': no symbol " + ordinal + " in enum " + schema.getFullName());
            }
            return constants[ordinal];
        });
    }

    private static FieldCodec nullableCodecOf(Schema schema, String field, SpecificData data, boolean dimension) {
        List<Schema> branches = schema.getTypes();
        Schema nonNull = branches.size() != 2 ? null
                : branches.get(0).getType() == Schema.Type.NULL ? branches.get(1)
                : branches.get(1).getType() == Schema.Type.NULL ? branches.get(0) : null;
        if (nonNull == null || nonNull.getType() == Schema.Type.UNION) {
            throw unsupported(schema, field);
        }
        FieldCodec value = codecOf(nonNull, field, data, dimension);
        return new FieldCodec((object, out) -> {
            out.writeBoolean(object == null);
            if (object != null) {
                value.writer.write(object, out);
            }
        }, (in, dimensions) -> in.readBoolean() ? null : value.reader.read(in, dimensions));
    }

    private static IllegalArgumentException unsupported(Schema schema, String field) {
        return new IllegalArgumentException("AvroRecordCodec cannot encode field '" + field + "' of type " + schema
                + ": it supports string, int, long, double, float, boolean, enum, timestamp-millis and [\"null\", one of these]");
    }
}
