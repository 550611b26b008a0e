package dev.tierflow.benchmarks;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Records per topic as a read_committed consumer sees them (commit markers are not records), and their value bytes. */
record CommittedCounts(Map<String, Long> perTopic, long valueBytes) {

    long total() {
        return perTopic.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Reads {@code topics} from the beginning to their last stable offsets. */
    static CommittedCounts read(String bootstrap, Collection<String> topics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        Map<String, Long> counts = new LinkedHashMap<>();
        long valueBytes = 0;
        topics.forEach(t -> counts.put(t, 0L));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream()
                    .map(p -> new TopicPartition(t, p.partition()))).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all); // the last stable offsets under read_committed
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("counting " + topics + " took more than 120 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(record.topic(), 1L, Long::sum);
                    valueBytes += record.serializedValueSize();
                }
            }
        }
        return new CommittedCounts(counts, valueBytes);
    }
}
