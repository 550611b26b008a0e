package dev.tierflow.router.stream;

import dev.tierflow.schemas.RoutedTask;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes a {@link RoutedTask}. For a {@link PreEncodedRoutedTask} it copies the task's received Avro body
 * in place of encoding the {@code task} field: Avro's binary encoding of a record is its fields'
 * encodings one after another, and {@code task} is the first field, so the copy is byte for byte what
 * encoding it would give. The other fields are written as usual.
 */
final class PreEncodedTaskWriter extends SpecificDatumWriter<RoutedTask> {

    private static final Schema ROUTED_TASK = RoutedTask.getClassSchema();

    static {
        if (!ROUTED_TASK.getFields().get(0).name().equals("task")) {
            throw new ExceptionInInitializerError("RoutedTask's first field must be 'task' for its encoding to be reused");
        }
    }

    PreEncodedTaskWriter() {
        super(ROUTED_TASK, SpecificData.getForClass(RoutedTask.class));
    }

    @Override
    protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
        if (!(datum instanceof PreEncodedRoutedTask preEncoded) || !schema.equals(ROUTED_TASK)) {
            super.writeRecord(schema, datum, out);
            return;
        }
        byte[] record = preEncoded.receivedRecord();
        out.writeFixed(record, ReceivedTask.HEADER_LENGTH, record.length - ReceivedTask.HEADER_LENGTH);
        for (Schema.Field field : schema.getFields()) {
            if (field.pos() > 0) {
                // no record state: specific records are read through their own accessors
                writeField(datum, field, out, null);
            }
        }
    }
}
