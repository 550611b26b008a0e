package dev.tierflow.schemas;

/**
 * Headers on a dead-lettered record. Kafka Streams' own DLQ headers ({@code __streams.errors.*}: exception,
 * message, stack trace, source topic, partition, offset) are kept; TierFlow adds a machine-readable reason.
 */
public final class DeadLetterHeaders {

    /** One of {@link DeadLetterReason}'s names. */
    public static final String REASON = "tierflow.dlq.reason";
    /** A human-readable description of what was wrong. */
    public static final String DETAIL = "tierflow.dlq.detail";
    /** Kafka Streams' headers, written by its built-in DLQ support (KIP-1034). */
    public static final String SOURCE_TOPIC = "__streams.errors.topic";
    public static final String SOURCE_PARTITION = "__streams.errors.partition";
    public static final String SOURCE_OFFSET = "__streams.errors.offset";
    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String EXCEPTION_MESSAGE = "__streams.errors.message";

    private DeadLetterHeaders() {
    }
}
