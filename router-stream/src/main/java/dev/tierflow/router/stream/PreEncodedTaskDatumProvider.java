package dev.tierflow.router.stream;

import dev.tierflow.schemas.SchemaKeyedDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;

/** The registry serdes' datum provider for the router's output: {@link PreEncodedTaskWriter} for pre-encoded routed tasks. */
public final class PreEncodedTaskDatumProvider<T> extends SchemaKeyedDatumProvider<T> {

    @SuppressWarnings("unchecked")
    private final DatumWriter<T> preEncodedWriter = (DatumWriter<T>) new PreEncodedTaskWriter();

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return data instanceof PreEncodedRoutedTask ? preEncodedWriter : super.createDatumWriter(data, schema);
    }
}
