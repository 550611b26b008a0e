package dev.tierflow.router.stream;

import dev.tierflow.router.decision.RejectedTaskException;
import dev.tierflow.schemas.AgentTask;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.kafka.KafkaDeserializer;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.RegistryFailures;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes tasks and says precisely why a record cannot be decoded, so the dead-letter handler can
 * name the reason. Along with a task it hands on the record's bytes when they were written with exactly
 * the router's {@link AgentTask} schema, so the routed task can reuse them (see {@link PreEncodedTaskWriter}).
 * A registry that cannot be reached is not the record's fault: that error is thrown as
 * {@link SchemaRegistryUnavailableException} and stops processing instead of dead-lettering good records.
 */
public final class TaskDeserializer implements Deserializer<ReceivedTask> {

    private static final Logger LOG = LoggerFactory.getLogger(TaskDeserializer.class);

    /** Magic byte + 4-byte content id: the Confluent-compatible framing the registry serdes write. */
    private static final int FRAME_HEADER = ReceivedTask.HEADER_LENGTH;

    private final KafkaDeserializer<Schema, AgentTask> avro;
    /** Per schema id: was it written with exactly our AgentTask schema, so its body can be reused as is? */
    private final Map<Long, Boolean> sameSchemaAsOurs = new ConcurrentHashMap<>();

    public TaskDeserializer(KafkaDeserializer<Schema, AgentTask> avro) {
        this.avro = avro;
    }

    @Override
    public ReceivedTask deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public ReceivedTask deserialize(String topic, Headers headers, byte[] data) {
        AgentTask task = decode(topic, headers, data);
        long schemaId = schemaId(data);
        Boolean reusable = sameSchemaAsOurs.get(schemaId);
        if (reusable == null) {
            reusable = isOurSchema(schemaId);
        }
        return new ReceivedTask(task, reusable ? data : null);
    }

    /**
     * Resolved once per id, right after a record with it decoded, so the registry client has it cached.
     * If the look-up fails the task is simply encoded in full this time, and the id is tried again later.
     */
    private boolean isOurSchema(long schemaId) {
        try {
            Schema writer = avro.getSchemaResolver().resolveSchemaByArtifactReference(ArtifactReference.fromContentId(schemaId))
                    .getParsedSchema().getParsedSchema();
            boolean same = AgentTask.getClassSchema().equals(writer);
            sameSchemaAsOurs.put(schemaId, same);
            return same;
        } catch (RuntimeException e) {
            LOG.warn("Could not resolve schema id {} to compare it with AgentTask's; encoding the task in full", schemaId, e);
            return false;
        }
    }

    private AgentTask decode(String topic, Headers headers, byte[] data) {
        if (data == null || data.length == 0) {
            throw new RejectedTaskException(DeadLetterReason.MISSING_VALUE, "record has no value");
        }
        if (data[0] != 0 || data.length < FRAME_HEADER) {
            throw new RejectedTaskException(DeadLetterReason.UNDECODABLE,
                    "not a registry-framed Avro record: expected magic byte 0 and a 4-byte schema id, got "
                            + data.length + " bytes starting with 0x" + String.format("%02x", data[0]));
        }
        try {
            AgentTask task = headers == null ? avro.deserialize(topic, data) : avro.deserialize(topic, headers, data);
            if (task == null) {
                throw new RejectedTaskException(DeadLetterReason.UNDECODABLE, "decoder returned no task");
            }
            return task;
        } catch (RejectedTaskException e) {
            throw e;
        } catch (RuntimeException e) {
            throw classify(e, schemaId(data));
        }
    }

    private static RuntimeException classify(RuntimeException e, long schemaId) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (RegistryFailures.isUnreachable(t)) {
                return new SchemaRegistryUnavailableException("schema registry unreachable while decoding a task: " + t, e);
            }
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
