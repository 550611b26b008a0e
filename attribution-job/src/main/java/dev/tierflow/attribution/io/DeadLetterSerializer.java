package dev.tierflow.attribution.io;

import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes a dead letter's original key and value unchanged, with headers saying where it came from and why. */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, utf8(letter.reason));
        headers.add(DeadLetterHeaders.DETAIL, utf8(letter.detail));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(letter.topic));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(letter.partition)));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(letter.offset)));
        return new ProducerRecord<>(topic, null, timestamp, letter.key, letter.value, headers);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
