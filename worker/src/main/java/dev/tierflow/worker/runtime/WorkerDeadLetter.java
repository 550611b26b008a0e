package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * A routed-task record the worker will not execute, as it goes to {@code tasks.<tier>.dlq}: the original key
 * and value bytes, the reason and detail, and where the record came from. Written in the same transaction
 * as the consumed offset, so it is there exactly once.
 */
record WorkerDeadLetter(TopicPartition source, long offset, byte[] key, byte[] value, DeadLetterReason reason, String detail,
                        Throwable exception) {

    ProducerRecord<byte[], byte[]> record(String tier) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.workerDeadLetters(tier).name(), key, value);
        Headers headers = record.headers();
        DeadLetterHeaders.add(headers, reason.name(), detail, source.topic(), source.partition(), offset);
        if (exception != null) {
            headers.add(DeadLetterHeaders.EXCEPTION, utf8(exception.getClass().getName()));
            headers.add(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8(String.valueOf(exception.getMessage())));
        }
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
