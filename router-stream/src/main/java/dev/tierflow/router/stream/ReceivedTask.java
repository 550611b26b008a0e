package dev.tierflow.router.stream;

import dev.tierflow.schemas.AgentTask;

/**
 * A decoded task and, when the producer wrote it with exactly the schema this router knows, the record
 * bytes it arrived in: their Avro body is then the task's encoding and can go out again unchanged.
 *
 * @param record the whole record (5-byte registry header + Avro body), or null when the body cannot be reused
 */
public record ReceivedTask(AgentTask task, byte[] record) {

    /** Bytes before the Avro body: magic byte 0 and the 4-byte schema id. */
    public static final int HEADER_LENGTH = 5;
}
