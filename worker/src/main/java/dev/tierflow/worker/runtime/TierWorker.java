package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one tier's topic in a consumer group and runs each routed task's attempt. Model calls are slow
 * I/O, so the tasks of a poll run concurrently (bounded by {@code concurrency}); their spans, any
 * escalations and the consumed offsets are then committed in ONE Kafka transaction. A worker that dies
 * before that commit leaves nothing visible to read_committed readers, and the next owner of the
 * partitions redoes the batch: one span per attempt, none missing, none doubled.
 */
public final class TierWorker implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TierWorker.class);

    private final String tier;
    private final AttemptRunner runner;
    private final Consumer<String, RoutedTask> consumer;
    private final Producer<String, Object> producer;
    private final ExecutorService calls;
    private final CommittedSpans committed;
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * @param clientConfig Kafka client settings (bootstrap servers, security) shared by consumer and producer
     * @param transactionalId unique per worker instance and stable across its restarts (fences a zombie)
     */
    public TierWorker(String tier, AttemptRunner runner, AvroSerdes serdes, Properties clientConfig, String groupId,
                      String transactionalId, int concurrency) {
        this(tier, runner, serdes, clientConfig, groupId, transactionalId, concurrency, CommittedSpans.NONE);
    }

    /**
     * @param committed told the spans of each batch after its transaction commits (e.g. to export them)
     */
    public TierWorker(String tier, AttemptRunner runner, AvroSerdes serdes, Properties clientConfig, String groupId,
                      String transactionalId, int concurrency, CommittedSpans committed) {
        this(tier, runner, consumer(serdes, clientConfig, groupId, concurrency),
                producer(serdes, clientConfig, transactionalId), concurrency, committed);
    }

    /** With given clients (tests use Kafka's MockConsumer and MockProducer). */
    TierWorker(String tier, AttemptRunner runner, Consumer<String, RoutedTask> consumer, Producer<String, Object> producer,
               int concurrency, CommittedSpans committed) {
        this.tier = tier;
        this.runner = runner;
        this.consumer = consumer;
        this.producer = producer;
        this.committed = committed == null ? CommittedSpans.NONE : committed;
        this.calls = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, "tierflow-worker-" + tier + "-call");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Consumer<String, RoutedTask> consumer(AvroSerdes serdes, Properties clientConfig, String groupId,
                                                          int concurrency) {
        Properties consumerConfig = new Properties();
        consumerConfig.putAll(clientConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(concurrency * 4));
        return new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                serdes.avro(RoutedTask.class, false).deserializer());
    }

    private static Producer<String, Object> producer(AvroSerdes serdes, Properties clientConfig, String transactionalId) {
        Properties producerConfig = new Properties();
        producerConfig.putAll(clientConfig);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(producerConfig, new StringSerializer(), new SpanOrTaskSerializer(serdes));
    }

    @Override
    public void run() {
        producer.initTransactions();
        consumer.subscribe(List.of(Topics.routedTasks(tier).name()));
        try {
            while (running.get()) {
                ConsumerRecords<String, RoutedTask> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    processBatch(records);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } catch (ProducerFencedException e) {
            LOG.warn("Worker for tier {} was fenced by a newer instance with its transactional id; stopping", tier);
        } finally {
            calls.shutdownNow();
            consumer.close();
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Runs one poll's tasks and commits their spans, escalations and offsets in one transaction. */
    void processBatch(ConsumerRecords<String, RoutedTask> records) {
        List<ConsumerRecord<String, RoutedTask>> batch = new ArrayList<>();
        records.forEach(batch::add);
        List<CompletableFuture<AttemptOutcome>> outcomes = batch.stream()
                .map(record -> CompletableFuture.supplyAsync(() -> runner.run(record.value()), calls))
                .toList();
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
        List<ResultSpan> spans = new ArrayList<>(outcomes.size());
        try {
            producer.beginTransaction();
            for (CompletableFuture<AttemptOutcome> future : outcomes) {
                AttemptOutcome outcome = future.join();
                ResultSpan span = outcome.span();
                spans.add(span);
                producer.send(new ProducerRecord<>(Topics.results(tier).name(), span.getTaskId(), span));
                AgentTask escalation = outcome.escalation();
                if (escalation != null) {
                    producer.send(new ProducerRecord<>(Topics.TASKS.name(), escalation.getTaskId(), escalation));
                }
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            // e.g. the group rebalanced mid-batch: nothing of this batch is visible; redo it from the last commit
            LOG.warn("Transaction for {} tasks of tier {} failed ({}); aborting and redoing from the last commit", batch.size(), tier, e.toString());
            producer.abortTransaction();
            rewind(batch);
            return;
        }
        // only now: exactly the spans read_committed readers see, never those of an aborted batch
        if (committed == CommittedSpans.NONE) {
            return;
        }
        try {
            committed.committed(List.copyOf(spans));
        } catch (RuntimeException e) {
            LOG.warn("Committed-spans listener failed for {} spans of tier {}; the spans are committed regardless",
                    spans.size(), tier, e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, RoutedTask>> batch) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, RoutedTask> record : batch) {
            next.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return next;
    }

    private void rewind(List<ConsumerRecord<String, RoutedTask>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, RoutedTask> record : batch) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    /** Stops after the batch in progress; its transaction is committed, or aborted if it cannot be. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    /** Spans go to results.<tier>, escalations to tasks: one producer (one transaction), two value types. */
    private static final class SpanOrTaskSerializer implements Serializer<Object> {
        private final Serializer<ResultSpan> spans;
        private final Serializer<AgentTask> tasks;

        SpanOrTaskSerializer(AvroSerdes serdes) {
            this.spans = serdes.avro(ResultSpan.class, false).serializer();
            this.tasks = serdes.valueSerde(Topics.TASKS).serializer();
        }

        @Override
        public byte[] serialize(String topic, Object value) {
            if (value instanceof ResultSpan span) {
                return spans.serialize(topic, span);
            }
            return tasks.serialize(topic, (AgentTask) value);
        }
    }
}
