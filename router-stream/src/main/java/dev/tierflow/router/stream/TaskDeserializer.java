package dev.tierflow.router.stream;

import dev.tierflow.router.decision.RejectedTaskException;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.DeadLetterReason;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes tasks and says precisely why a record cannot be decoded, so the dead-letter handler can
 * name the reason. A registry that cannot be reached is not the record's fault: that error is
 * thrown as {@link SchemaRegistryUnavailableException} and stops processing instead of dead-lettering
 * good records.
 */
public final class TaskDeserializer implements Deserializer<AgentTask> {

    /** Magic byte + 4-byte content id: the Confluent-compatible framing the registry serdes write. */
    private static final int FRAME_HEADER = 5;

    private final Deserializer<AgentTask> avro;

    public TaskDeserializer(Deserializer<AgentTask> avro) {
        this.avro = avro;
    }

    @Override
    public AgentTask deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public AgentTask deserialize(String topic, Headers headers, byte[] data) {
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
            if (t instanceof ConnectException || t instanceof HttpTimeoutException
                    || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
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
