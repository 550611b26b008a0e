package dev.tierflow.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from their start to the end they have now, committed records only, and stops: what the
 * one-shot tools ({@code status}, {@code policy show}) need, where the dashboard follows the topics forever.
 * Topics that do not exist are skipped. Partitions are assigned, not subscribed, so no group join is waited for.
 */
public final class TopicsToEnd {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicsToEnd() {
    }

    /** Hands every record of {@code topics} to {@code sink}; throws when the end is not reached within {@code timeout}. */
    public static void read(String bootstrapServers, Collection<String> topics, Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Properties props = ReportConsumers.readCommittedFromStart(bootstrapServers, "tierflow-tool-");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(timeout);
            for (String topic : topics) {
                existing.getOrDefault(topic, List.of()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end offsets are the last stable offsets, so no open transaction is waited for
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            while (!partitions.stream().allMatch(p -> consumer.position(p, timeout) >= ends.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + topics + " to their end within " + timeout);
                }
                consumer.poll(POLL).forEach(sink);
            }
        }
    }
}
