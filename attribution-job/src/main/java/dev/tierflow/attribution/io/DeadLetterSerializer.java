package dev.tierflow.attribution.io;

import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.schemas.DeadLetterHeaders;
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
        DeadLetterHeaders.add(headers, letter.reason, letter.detail, letter.topic, letter.partition, letter.offset);
        return new ProducerRecord<>(topic, null, timestamp, letter.key, letter.value, headers);
    }
}
