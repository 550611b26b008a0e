package dev.tierflow.router.stream;

import dev.tierflow.router.decision.RejectedTaskException;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.RegistryFailures;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.apicurio.registry.serde.kafka.KafkaDeserializer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes tasks and says precisely why a record cannot be decoded, so the dead-letter handler can
 * name the reason. It reads the Avro body itself, with the writer schema the registry gives for the
 * record's schema id, so it knows where the datum ends: a body with bytes after the datum is refused
 * ({@link DeadLetterReason#TRAILING_BYTES}), since the Avro reader would ignore them while a worker
 * reading the routed task would take them for the router's decision. Along with a task it hands on the
 * record's bytes when they were written with exactly the router's {@link AgentTask} schema and read to
 * their last byte, so the routed task can reuse them (see {@link PreEncodedTaskWriter}).
 * A registry that cannot be reached is not the record's fault: that error is thrown as
 * {@link SchemaRegistryUnavailableException} and stops processing instead of dead-lettering good records.
 */
public final class TaskDeserializer implements Deserializer<ReceivedTask> {

    /** Magic byte + 4-byte content id: the Confluent-compatible framing the registry serdes write. */
    private static final int FRAME_HEADER = ReceivedTask.HEADER_LENGTH;

    private static final SpecificData MODEL = SpecificData.getForClass(AgentTask.class);

    /** The reader for one writer schema, and whether that schema is exactly ours (so its bodies can be reused as they are). */
    private record WriterSchema(long id, DatumReader<AgentTask> reader, boolean sameAsOurs) {
    }

    private final KafkaDeserializer<Schema, AgentTask> avro;
    private final Map<Long, WriterSchema> writers = new ConcurrentHashMap<>();
    /** Nearly every record has the schema id of the one before: skip the map (and boxing) for it. */
    private volatile WriterSchema lastWriter;
    /** One decoder per stream thread, re-aimed at each record's bytes. */
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    /** @param avro the registry serde, for its schema resolver (and its cache of schemas by id) */
    public TaskDeserializer(KafkaDeserializer<Schema, AgentTask> avro) {
        this.avro = avro;
    }

    @Override
    public ReceivedTask deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public ReceivedTask deserialize(String topic, Headers headers, byte[] data) {
        if (data == null || data.length == 0) {
            throw new RejectedTaskException(DeadLetterReason.MISSING_VALUE, "record has no value");
        }
        if (data[0] != 0 || data.length < FRAME_HEADER) {
            throw new RejectedTaskException(DeadLetterReason.UNDECODABLE,
                    "not a registry-framed Avro record: expected magic byte 0 and a 4-byte schema id, got "
                            + data.length + " bytes starting with 0x" + String.format("%02x", data[0]));
        }
        long schemaId = schemaId(data);
        WriterSchema writer = writerSchema(schemaId);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, FRAME_HEADER, data.length - FRAME_HEADER, decoders.get());
        decoders.set(decoder);
        AgentTask task;
        int unread;
        try {
            task = writer.reader().read(null, decoder);
            unread = decoder.isEnd() ? 0 : decoder.inputStream().available();
        } catch (IOException | RuntimeException e) {
            throw new RejectedTaskException(DeadLetterReason.UNDECODABLE,
                    "cannot decode an AgentTask with schema id " + schemaId + ": " + e, e);
        }
        if (task == null) {
            throw new RejectedTaskException(DeadLetterReason.UNDECODABLE, "decoder returned no task");
        }
        if (unread > 0) {
            throw new RejectedTaskException(DeadLetterReason.TRAILING_BYTES, unread + " byte(s) after the AgentTask datum (schema id "
                    + schemaId + ", body of " + (data.length - FRAME_HEADER) + " bytes): a record is one datum and nothing else");
        }
        return new ReceivedTask(task, writer.sameAsOurs() ? data : null);
    }

    private WriterSchema writerSchema(long schemaId) {
        WriterSchema last = lastWriter;
        if (last != null && last.id() == schemaId) {
            return last;
        }
        WriterSchema writer = writers.get(schemaId);
        if (writer == null) {
            // resolved outside computeIfAbsent: a registry call must not hold the map's lock
            writer = resolve(schemaId);
            writers.putIfAbsent(schemaId, writer);
        }
        lastWriter = writer;
        return writer;
    }

    private WriterSchema resolve(long schemaId) {
        Schema schema;
        try {
            schema = avro.getSchemaResolver().resolveSchemaByArtifactReference(ArtifactReference.fromContentId(schemaId))
                    .getParsedSchema().getParsedSchema();
        } catch (RuntimeException e) {
            throw classify(e, schemaId);
        }
        Schema ours = AgentTask.getClassSchema();
        return new WriterSchema(schemaId, new SpecificDatumReader<>(schema, ours, MODEL), ours.equals(schema));
    }

    private static RuntimeException classify(RuntimeException e, long schemaId) {
        if (RegistryFailures.causedByUnreachableRegistry(e)) {
            return new SchemaRegistryUnavailableException("schema registry unreachable while resolving schema id " + schemaId + ": " + e, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isNotFound(t)) {
                return new RejectedTaskException(DeadLetterReason.UNKNOWN_SCHEMA_ID,
                        "schema id " + schemaId + " is not known to the registry", e);
            }
        }
        return new RejectedTaskException(DeadLetterReason.UNDECODABLE,
                "cannot decode an AgentTask with schema id " + schemaId + ": " + e, e);
    }

    /** The registry client reports an unknown id as an RFC 7807 problem with status 404. */
    private static boolean isNotFound(Throwable t) {
        return t instanceof ProblemDetails problem && problem.getStatus() != null && problem.getStatus() == 404;
    }

    private static long schemaId(byte[] data) {
        return ((data[1] & 0xffL) << 24) | ((data[2] & 0xffL) << 16) | ((data[3] & 0xffL) << 8) | (data[4] & 0xffL);
    }

    @Override
    public void close() {
        avro.close();
    }
}
