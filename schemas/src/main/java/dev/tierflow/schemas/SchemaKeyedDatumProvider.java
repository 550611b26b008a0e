package dev.tierflow.schemas;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's datum provider, with its readers and writers cached by {@link Schema} object instead of by
 * a schema fingerprint computed on every record. That fingerprint (the parsing canonical form of the whole
 * schema, rebuilt per record) was the largest single cost of a record through the serdes; a Schema keeps
 * its hash code and equals starts with an identity check, so a record now costs one map lookup.
 * Measured in BENCHMARKS.md.
 */
public class SchemaKeyedDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    /** Schemas are few (one per record type and version); past this, stop caching rather than grow without bound. */
    private static final int MAX_CACHED = 1_000;

    private final ConcurrentHashMap<Schema, DatumWriter<T>> specificWriters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Schema, DatumWriter<T>> genericWriters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        var cache = data instanceof SpecificRecord ? specificWriters : genericWriters;
        DatumWriter<T> writer = cache.get(schema);
        if (writer == null) {
            writer = super.createDatumWriter(data, schema);
            if (cache.size() < MAX_CACHED) {
                cache.putIfAbsent(schema, writer);
            }
        }
        return writer;
    }

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        DatumReader<T> reader = readers.get(schema);
        if (reader == null) {
            reader = super.createDatumReader(schema);
            if (readers.size() < MAX_CACHED) {
                readers.putIfAbsent(schema, reader);
            }
        }
        return reader;
    }
}
