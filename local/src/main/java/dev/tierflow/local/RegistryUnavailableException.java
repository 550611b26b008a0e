package dev.tierflow.local;

/**
 * A record could not be decoded because the schema registry could not be reached (as
 * {@link dev.tierflow.schemas.RegistryFailures} tells): the record is fine and must be read again once the
 * registry is back, never skipped, counted as undecodable, or taken for a tombstone.
 */
public final class RegistryUnavailableException extends RuntimeException {

    private final String topic;
    private final int partition;
    private final long offset;

    public RegistryUnavailableException(String topic, int partition, long offset, Throwable cause) {
        super("the schema registry is not reachable (reading " + topic + "-" + partition + "@" + offset + "): " + cause, cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
