package dev.tierflow.local;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Follows a topic from its start (read_committed) on its own thread, keeping what it decodes, in order. */
final class TopicTail<T> implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<T> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    TopicTail(Properties consumerConfig, String topic, Function<ConsumerRecord<byte[], byte[]>, T> decode) {
        consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(decode.apply(record));
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }, "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    List<T> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
