package dev.tierflow.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

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

    /**
     * Adds why a record was dead-lettered and where it came from, as every writer of a dead letter outside
     * Kafka Streams does (Streams' own handler writes the source headers itself). A null detail is left out.
     */
    public static void add(Headers headers, String reason, String detail, String sourceTopic, int sourcePartition, long sourceOffset) {
        headers.add(REASON, utf8(reason));
        headers.add(DETAIL, utf8(detail));
        headers.add(SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
