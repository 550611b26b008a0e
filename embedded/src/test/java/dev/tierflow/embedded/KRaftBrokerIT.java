package dev.tierflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KRaftBrokerIT {

    @TempDir
    static Path dataDir;

    private static KRaftBroker sharedBroker;

    @BeforeAll
    static void startBroker() {
        int[] ports = Ports.freePorts(2);
        int brokerPort = ports[0];
        long started = System.nanoTime();
        sharedBroker = KRaftBroker.start(new KRaftBroker.Settings(brokerPort, ports[1], dataDir));
        System.out.printf("KRaftBroker started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(sharedBroker.bootstrapServers()).isEqualTo("127.0.0.1:" + brokerPort);
    }

    @AfterAll
    static void stopBroker() {
        if (sharedBroker != null) {
            sharedBroker.close();
        }
    }

    @Test
    void producesWithAcksAllAndConsumesBack() throws Exception {
        createTopic(sharedBroker, "plain");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(sharedBroker, Map.of()))) {
            RecordMetadata sent = producer.send(new ProducerRecord<>("plain", "k1", "hello")).get();
            assertThat(sent.offset()).isZero();
        }

        List<ConsumerRecord<String, String>> received = consumeAll(sharedBroker, "plain", "read_uncommitted", 1);

        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("k1");
            assertThat(r.value()).isEqualTo("hello");
        });
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnly() {
        createTopic(sharedBroker, "transactional");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                producerProps(sharedBroker, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kraft-broker-it")))) {
            // Hangs unless the transaction state log can be created with one replica.
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "a", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "c", "committed"));
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> committed = consumeAll(sharedBroker, "transactional", "read_committed", 1);

        assertThat(committed).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsAndRecords(@TempDir Path ownDataDir) throws Exception {
        int[] ports = Ports.freePorts(2);
        KRaftBroker.Settings settings = new KRaftBroker.Settings(ports[0], ports[1], ownDataDir);
        try (KRaftBroker first = KRaftBroker.start(settings)) {
            createTopic(first, "durable");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(first, Map.of()))) {
                producer.send(new ProducerRecord<>("durable", "k", "kept")).get();
            }
        }

        try (KRaftBroker restarted = KRaftBroker.start(settings)) {
            assertThat(consumeAll(restarted, "durable", "read_uncommitted", 1)).extracting(ConsumerRecord::value)
                    .containsExactly("kept");
        }
    }

    private static void createTopic(KRaftBroker broker, String name) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> admin.describeTopics(Set.of(name)).allTopicNames().get().get(name).partitions().get(0).leader() != null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties producerProps(KRaftBroker broker, Map<String, String> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putAll(extra);
        return p;
    }

    /** Reads the topic from the start until {@code expected} records arrived, and a little longer for strays. */
    private static List<ConsumerRecord<String, String>> consumeAll(KRaftBroker broker, String topic, String isolation,
            int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "kraft-broker-it-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= expected;
            });
            // Anything that should not be visible (an aborted record) would be at an earlier offset, so
            // it would have arrived before the expected ones; one more poll catches any stragglers.
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
        return received;
    }
}
