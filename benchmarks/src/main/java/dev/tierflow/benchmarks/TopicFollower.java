package dev.tierflow.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Follows a topic from its start (read_committed) on its own thread, noting when each record became visible. */
final class TopicFollower<T> implements AutoCloseable {

    /** A record's decoded value and the wall-clock time this follower received it. */
    record Seen<T>(T value, long seenAtMillis) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Seen<T>> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    TopicFollower(String bootstrapServers, String topic, Function<ConsumerRecord<byte[], byte[]>, T> decode) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("group.id", "follow-" + topic + "-" + System.nanoTime());
        config.put("auto.offset.reset", "earliest");
        config.put("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        seen.add(new Seen<>(decode.apply(record), System.currentTimeMillis()));
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    List<Seen<T>> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
