package dev.tierflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's ERROR {@code OutOfOrderSequenceException … Expected sequence 0 for transactions v2 idempotent
 * producer with no existing state}, seen at stack start, explained and shown harmless. Under transactions
 * v2 (KIP-890, Kafka 4.x) the broker adds a partition to a transaction itself when the first batch
 * arrives; a second batch of the same producer that reaches the partition before the first one was
 * appended finds no producer state and is refused with that error (KAFKA-18202). The broker logs every
 * refused append at ERROR ({@code ReplicaManager}); the producer treats the refusal as retriable because
 * an earlier batch of the partition is still in flight, and resends it after the first. This test makes
 * a transactional producer pipeline several batches into fresh partitions, as the router's and the
 * workers' producers do in their first transactions, and checks that read_committed readers see every
 * record exactly once and in order, whether or not the broker refused batches on the way.
 */
class TransactionsV2FirstWriteIT {

    private static final String TOPIC = "first-write";
    /** One fresh partition per transaction, written right after the previous transaction committed. */
    private static final int TRANSACTIONS = 16;
    private static final int PARTITIONS = TRANSACTIONS;
    private static final int RECORDS_PER_TRANSACTION = 200;
    private static final String FILLER = "first-write-filler";
    private static final int FILLER_PARTITIONS = 48;

    @TempDir
    Path dataDir;

    private final RefusedSequences refused = new RefusedSequences();

    @AfterEach
    void detach() {
        refused.detach();
    }

    @Test
    void pipelinedFirstBatchesOfATransactionAreRetriedNeverLostOrDoubled() throws Exception {
        int[] ports = Ports.freePorts(2);
        try (KRaftBroker broker = KRaftBroker.start(new KRaftBroker.Settings(ports[0], ports[1], dataDir))) {
            createTopic(broker);
            refused.attach();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pipeliningProducer(broker))) {
                producer.initTransactions();
                for (int t = 0; t < TRANSACTIONS; t++) {
                    // a transaction over many partitions: its commit markers are still being written when
                    // the next transaction's first batches reach the broker (CONCURRENT_TRANSACTIONS)
                    producer.beginTransaction();
                    for (int f = 0; f < FILLER_PARTITIONS; f++) {
                        producer.send(new ProducerRecord<>(FILLER, f, "f", "filler"));
                    }
                    producer.commitTransaction();
                    producer.beginTransaction();
                    for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) {
                        producer.send(new ProducerRecord<>(TOPIC, t, "t" + t, t + "/" + i + "/" + "x".repeat(300)));
                    }
                    producer.commitTransaction();
                }
            }

            List<ConsumerRecord<String, String>> committed = readCommitted(broker, TRANSACTIONS * RECORDS_PER_TRANSACTION);

            Map<Integer, List<String>> perPartition = new HashMap<>();
            committed.forEach(r -> perPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>())
                    .add(r.value().substring(0, r.value().lastIndexOf('/'))));
            assertThat(perPartition).hasSize(PARTITIONS);
            perPartition.forEach((partition, values) -> {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) {
                    expected.add(partition + "/" + i);
                }
                assertThat(values).as("partition %d: every record once, in order", partition).isEqualTo(expected);
            });
            System.out.printf("TransactionsV2FirstWriteIT: %d appends refused with OutOfOrderSequenceException "
                    + "(no producer state yet) over %d transactions; %d records committed, none lost or doubled%n",
                    refused.count(), TRANSACTIONS, committed.size());
        }
    }

    /** Small batches, no linger, five requests in flight: several batches of one partition on the wire at once. */
    private static Properties pipeliningProducer(KRaftBroker broker) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "first-write-it");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "1024");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    private static void createTopic(KRaftBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1),
                    new NewTopic(FILLER, FILLER_PARTITIONS, (short) 1))).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(Set.of(TOPIC, FILLER)).allTopicNames().get()
                    .values().stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null)));
        }
    }

    private static List<ConsumerRecord<String, String>> readCommitted(KRaftBroker broker, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "first-write-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= expected;
            });
            // a doubled record would sit at a later offset: read on until the end offsets are reached
            consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        }
        return received;
    }

    /** Counts the broker's ERROR events for appends refused with OutOfOrderSequenceException. */
    private static final class RefusedSequences extends AbstractAppender {
        private final AtomicInteger count = new AtomicInteger();

        RefusedSequences() {
            super("refused-sequences", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLevel() == Level.ERROR && event.getThrown() instanceof OutOfOrderSequenceException) {
                count.incrementAndGet();
            }
        }

        int count() {
            return count.get();
        }

        void attach() {
            start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            LoggerConfig kafka = context.getConfiguration().getLoggerConfig("kafka.server.ReplicaManager");
            kafka.addAppender(this, Level.ERROR, null);
            context.updateLoggers();
        }

        void detach() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getLoggerConfig("kafka.server.ReplicaManager").removeAppender(getName());
            context.updateLoggers();
            stop();
        }
    }
}
