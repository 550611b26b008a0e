package dev.tierflow.testing;

import dev.tierflow.schemas.AgentTask;
import java.nio.ByteBuffer;

/** Tasks and wire-format helpers for the tests of this module. */
final class TestTasks {

    private TestTasks() {
    }

    /** A valid task; the shared builder's defaults fill every required field. */
    static AgentTask task(String taskId) {
        return TaskBuilder.task(taskId).build();
    }

    /** The id after the magic byte of the Confluent wire format. */
    static int schemaId(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** A record in the wire format naming a schema id no registry has. */
    static byte[] withUnknownSchemaId(byte[] bytes, int unknownId) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy, 1, 4).putInt(unknownId);
        return copy;
    }
}
