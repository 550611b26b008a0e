package dev.tierflow.worker.runtime;

import com.microsoft.kiota.ApiException;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.DeadLetterReason;
import dev.tierflow.schemas.RegistryFailures;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one tier's topic in a consumer group and runs each routed task's attempt on a pool of
 * {@code concurrency} threads, while the polling thread keeps polling: a slow call never holds the loop
 * past {@code max.poll.interval.ms}. Per partition, the records form a queue in offset order; the finished
 * prefix of every queue (spans, escalations, dead letters) and the offsets after it are committed in ONE
 * Kafka transaction at least every commit interval. A record still in flight holds back only the records
 * after it in its partition, and that partition is paused once it has {@code maxPending} records waiting,
 * so nothing committed is ever redone and nothing unfinished is ever committed.
 *
 * <p>Every record ends in exactly one place: a decoded task whose decision the policy allows gets one span
 * (an ERROR span when the attempt throws or outlives the call timeout); any other record goes, with its
 * original bytes, to {@code tasks.<tier>.dlq}. A registry that cannot be reached is not the record's fault:
 * its partition backs off and reads it again. What the loop cannot survive (fenced, a failed abort,
 * repeated commit failures, out of memory) ends {@link #run()} with the exception, and {@link #failure()}
 * says why, so the process can exit non-zero and be restarted.
 */
public final class TierWorker implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TierWorker.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration BUSY_POLL = Duration.ofMillis(20);
    /** Commits that fail in a row (each aborted, then retried) before the loop gives up. */
    static final int MAX_FAILED_COMMITS = 5;

    /** What the loop is doing, for health checks. */
    public enum State { CREATED, RUNNING, STOPPED, FAILED }

    private final String tier;
    private final String topic;
    private final AttemptRunner runner;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final WorkerCodec codec;
    private final DecisionCheck decisions;
    private final LoopSettings loop;
    private final WorkerMetrics metrics;
    private final CommittedSpans committed;
    private final Clock clock;
    private final ExecutorService calls;
    /** How long a revocation waits for its calls in flight: the group waits for it, so well below max.poll.interval.ms. */
    private final Duration revocationGrace;
    private final Map<TopicPartition, PartitionProgress> progress = new LinkedHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile State state = State.CREATED;
    private volatile Throwable failure;
    /** False once the producer must not be used again (fenced, abort failed, the loop died). */
    private boolean producerUsable = true;
    private Instant lastCommit;
    private Instant nextCommitAttempt;
    private int failedCommits;

    /**
     * @param clientConfig Kafka client settings (bootstrap servers, security) shared by consumer and producer
     * @param transactionalId unique per worker instance and stable across its restarts (fences a zombie)
     */
    public TierWorker(String tier, AttemptRunner runner, AvroSerdes serdes, Properties clientConfig, String groupId,
                      String transactionalId, int concurrency) {
        this(tier, runner, serdes, clientConfig, groupId, transactionalId, concurrency, CommittedSpans.NONE);
    }

    /** @param committed told the spans of each batch after its transaction commits (e.g. to export them) */
    public TierWorker(String tier, AttemptRunner runner, AvroSerdes serdes, Properties clientConfig, String groupId,
                      String transactionalId, int concurrency, CommittedSpans committed) {
        this(tier, runner, serdes, clientConfig, groupId, transactionalId,
                WorkerOptions.defaults(tier, concurrency).withCommitted(committed));
    }

    public TierWorker(String tier, AttemptRunner runner, AvroSerdes serdes, Properties clientConfig, String groupId,
                      String transactionalId, WorkerOptions options) {
        this(tier, runner, consumer(clientConfig, groupId, options.loop()), producer(clientConfig, transactionalId),
                WorkerCodec.of(serdes), options, Clock.systemUTC(), revocationGrace(clientConfig, options.loop()));
    }

    private static Duration revocationGrace(Properties clientConfig, LoopSettings loop) {
        Object configured = clientConfig.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        long maxPollInterval = configured == null ? 300_000 : Long.parseLong(configured.toString().trim());
        Duration half = Duration.ofMillis(maxPollInterval / 2);
        return half.compareTo(loop.shutdownGrace()) < 0 ? half : loop.shutdownGrace();
    }

    /** With given clients (tests use Kafka's MockConsumer and MockProducer) and clock. */
    TierWorker(String tier, AttemptRunner runner, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
               WorkerCodec codec, WorkerOptions options, Clock clock) {
        this(tier, runner, consumer, producer, codec, options, clock, options.loop().shutdownGrace());
    }

    private TierWorker(String tier, AttemptRunner runner, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                       WorkerCodec codec, WorkerOptions options, Clock clock, Duration revocationGrace) {
        this.revocationGrace = revocationGrace;
        this.tier = tier;
        this.topic = Topics.routedTasks(tier).name();
        this.runner = runner;
        this.consumer = consumer;
        this.producer = producer;
        this.codec = codec;
        this.decisions = options.decisions();
        this.loop = options.loop();
        this.metrics = options.metrics();
        this.committed = options.committed();
        this.clock = clock;
        this.calls = Executors.newFixedThreadPool(loop.concurrency(), r -> {
            Thread thread = new Thread(r, "tierflow-worker-" + tier + "-call");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Consumer<byte[], byte[]> consumer(Properties clientConfig, String groupId, LoopSettings loop) {
        Properties config = new Properties();
        config.putAll(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(loop.maxPending()));
        // A rebalance then takes away only the partitions that move: calls in flight on the others go on.
        if (!"consumer".equalsIgnoreCase(String.valueOf(config.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic")))) {
            config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Producer<byte[], byte[]> producer(Properties clientConfig, String transactionalId) {
        Properties config = new Properties();
        config.putAll(clientConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void run() {
        try {
            if (state == State.CREATED) {
                begin();
            }
            while (running.get()) {
                step();
            }
            drain();
            state = State.STOPPED;
        } catch (Throwable e) {
            failure = e;
            state = State.FAILED;
            producerUsable = false;
            LOG.error("Worker loop for tier {} cannot go on and stops; restart it (uncommitted tasks are redone from the last commit)",
                    tier, e);
            if (e instanceof Error error) {
                throw error;
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        } finally {
            calls.shutdownNow();
            try {
                consumer.close(); // a clean stop commits what finished while its partitions are revoked
            } catch (RuntimeException e) {
                LOG.warn("Closing the consumer of tier {} failed", tier, e);
            }
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Joins the transaction coordinator and the group. */
    void begin() {
        state = State.RUNNING;
        producer.initTransactions();
        consumer.subscribe(List.of(topic), new Rebalances());
        lastCommit = clock.instant();
    }

    /** One turn of the loop: fetch what may be fetched, start its calls, give up overdue calls, commit what is due. */
    void step() {
        Instant now = clock.instant();
        updateFetching(now);
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(anyInFlight() ? BUSY_POLL : IDLE_POLL);
        } catch (RecordDeserializationException e) {
            unreadable(e);
            return;
        } catch (WakeupException e) {
            return; // someone woke the consumer (e.g. to stop): the loop condition decides
        }
        accept(records);
        settle(clock.instant());
        commitIfDue(clock.instant(), false);
    }

    /** After {@link #close()}: no more fetching; let the calls in flight finish (up to the grace), commit them. */
    void drain() {
        Instant until = clock.instant().plus(loop.shutdownGrace());
        while (anyInFlight() && clock.instant().isBefore(until)) {
            updateFetching(clock.instant());
            try {
                // Records a new assignment hands over now are not taken: their offsets are never committed here.
                consumer.poll(BUSY_POLL);
            } catch (RecordDeserializationException | WakeupException ignored) {
                // not taken either; the partition's next owner reads it
            }
            settle(clock.instant());
            commitIfDue(clock.instant(), false);
        }
        commitIfDue(clock.instant(), true);
    }

    private boolean anyInFlight() {
        for (PartitionProgress partition : progress.values()) {
            if (!partition.allFinished()) {
                return true;
            }
        }
        return false;
    }

    /** A partition is fetched while the loop runs, it has room for more, and it is not backing off. */
    private void updateFetching(Instant now) {
        int total = progress.values().stream().mapToInt(PartitionProgress::size).sum();
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        for (PartitionProgress partition : progress.values()) {
            boolean fetch = running.get() && partition.size() < loop.maxPending() && total < 2 * loop.maxPending()
                    && partition.fetchable(now);
            (fetch ? resume : pause).add(partition.partition);
        }
        Set<TopicPartition> paused = consumer.paused();
        pause.removeAll(paused);
        resume.retainAll(paused);
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private void accept(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            PartitionProgress queue = progress.get(partition);
            if (queue == null) {
                continue; // not (or no longer) ours: never committed by us, so its owner reads it
            }
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (!take(queue, record)) {
                    break;
                }
            }
        }
    }

    /** @return false when the registry could not be reached: the partition reads this record again later */
    private boolean take(PartitionProgress queue, ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = queue.partition;
        if (record.value() == null || record.value().length == 0) {
            queue.add(PendingRecord.deadLetter(deadLetter(partition, record, DeadLetterReason.MISSING_VALUE,
                    "the record has no value", null)));
            return true;
        }
        RoutedTask routed;
        try {
            routed = codec.routedTasks().deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                LOG.warn("Schema registry unreachable while decoding {} offset {}; reading it again after a back-off ({})",
                        partition, record.offset(), e.toString());
                consumer.seek(partition, record.offset());
                queue.backOff(clock.instant());
                return false;
            }
            DeadLetterReason reason = unknownSchemaId(e) ? DeadLetterReason.UNKNOWN_SCHEMA_ID : DeadLetterReason.UNDECODABLE;
            queue.add(PendingRecord.deadLetter(deadLetter(partition, record, reason,
                    "not a registry-framed RoutedTask: " + e.getMessage(), e)));
            return true;
        }
        queue.decoded();
        if (routed == null) {
            queue.add(PendingRecord.deadLetter(deadLetter(partition, record, DeadLetterReason.MISSING_VALUE,
                    "the record decodes to no value", null)));
            return true;
        }
        String problem;
        try {
            problem = decisions.problem(routed);
        } catch (RuntimeException e) {
            problem = "the decision could not be checked: " + e;
        }
        if (problem != null) {
            LOG.warn("Not executing {} offset {}: {}", partition, record.offset(), problem);
            queue.add(PendingRecord.deadLetter(deadLetter(partition, record, DeadLetterReason.INVALID_DECISION, problem, null)));
            return true;
        }
        PendingRecord pending = PendingRecord.attempt(record.offset(), routed, record.key(), record.value());
        queue.add(pending);
        start(pending);
        return true;
    }

    private static WorkerDeadLetter deadLetter(TopicPartition partition, ConsumerRecord<byte[], byte[]> record,
                                               DeadLetterReason reason, String detail, Throwable exception) {
        return new WorkerDeadLetter(partition, record.offset(), record.key(), record.value(), reason, detail, exception);
    }

    private static boolean unknownSchemaId(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemDetails problem && problem.getStatus() != null && problem.getStatus() == 404
                    || t instanceof ApiException api && api.getResponseStatusCode() == 404) {
                return true;
            }
        }
        return false;
    }

    /** A record the consumer itself could not hand over (e.g. a corrupt batch): dead-lettered, then skipped. */
    private void unreadable(RecordDeserializationException e) {
        TopicPartition partition = e.topicPartition();
        PartitionProgress queue = progress.get(partition);
        if (queue == null) {
            throw e; // not a partition of ours: nothing to skip it for
        }
        queue.add(PendingRecord.deadLetter(new WorkerDeadLetter(partition, e.offset(), bytes(e.keyBuffer()),
                bytes(e.valueBuffer()), DeadLetterReason.UNDECODABLE, "the consumer could not read the record: " + e.getMessage(), e)));
        LOG.warn("Record {} offset {} could not be read; dead-lettered and skipped", partition, e.offset(), e);
        consumer.seek(partition, e.offset() + 1);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private void start(PendingRecord pending) {
        pending.call(calls.submit(() -> {
            Instant started = clock.instant();
            pending.callStarted(started);
            metrics.callStarted();
            long began = System.nanoTime();
            try {
                pending.finish(runner.run(pending.routed));
            } catch (StackOverflowError e) {
                pending.finish(FailedAttempt.outcome(pending.routed, started, clock.instant(), "the attempt failed in the worker: " + e));
            } catch (VirtualMachineError e) {
                pending.failFatally(e); // out of memory and the like: the process must not go on as if nothing happened
            } catch (Throwable e) {
                pending.finish(FailedAttempt.outcome(pending.routed, started, clock.instant(), "the attempt failed in the worker: " + e));
            } finally {
                metrics.callEnded(Duration.ofNanos(System.nanoTime() - began));
            }
        }));
    }

    /** Rethrows what must end the loop; gives up calls past the call timeout (an ERROR span, committed like any other). */
    private void settle(Instant now) {
        for (PartitionProgress partition : progress.values()) {
            for (PendingRecord pending : partition.records()) {
                if (pending.fatal() instanceof Error error) {
                    throw error;
                }
                Instant started = pending.callStartedAt();
                if (pending.finished() || started == null || now.isBefore(started.plus(loop.callTimeout()))) {
                    continue;
                }
                if (pending.finish(FailedAttempt.outcome(pending.routed, started, now,
                        "no answer within the call timeout of " + loop.callTimeout() + "; the call was given up"))) {
                    pending.cancel();
                    metrics.callTimedOut();
                    LOG.warn("Call for task {} of tier {} ran past {}; given up with an ERROR span",
                            pending.routed.getTask().getTaskId(), tier, loop.callTimeout());
                }
            }
        }
    }

    /**
     * Commits the finished prefix of every partition in one transaction: when {@code force}, when nothing is in
     * flight any more, or when the commit interval has passed since the last commit.
     */
    private void commitIfDue(Instant now, boolean force) {
        if (!producerUsable || nextCommitAttempt != null && now.isBefore(nextCommitAttempt) && !force) {
            return;
        }
        Map<PartitionProgress, List<PendingRecord>> ready = new LinkedHashMap<>();
        boolean everythingFinished = true;
        for (PartitionProgress partition : progress.values()) {
            List<PendingRecord> prefix = partition.finishedPrefix();
            if (!prefix.isEmpty()) {
                ready.put(partition, prefix);
            }
            everythingFinished &= prefix.size() == partition.size();
        }
        if (ready.isEmpty() || !(force || everythingFinished || !now.isBefore(lastCommit.plus(loop.commitInterval())))) {
            return;
        }
        commit(ready, now);
    }

    private void commit(Map<PartitionProgress, List<PendingRecord>> ready, Instant now) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<ResultSpan> spans = new ArrayList<>();
        List<DeadLetterReason> letters = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            for (Map.Entry<PartitionProgress, List<PendingRecord>> entry : ready.entrySet()) {
                for (PendingRecord pending : entry.getValue()) {
                    encode(entry.getKey().partition, pending, out, spans, letters);
                }
                List<PendingRecord> prefix = entry.getValue();
                offsets.put(entry.getKey().partition, new OffsetAndMetadata(prefix.get(prefix.size() - 1).offset + 1));
            }
        } catch (RegistryUnreachable e) {
            LOG.warn("Schema registry unreachable while encoding results of tier {}; committing later ({})", tier, e.getCause().toString());
            nextCommitAttempt = now.plusSeconds(1);
            return;
        }
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> record : out) {
                producer.send(record);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException | IllegalStateException e) {
            producerUsable = false;
            throw e;
        } catch (KafkaException e) {
            abortAfter(e, now, out.size());
            return;
        }
        failedCommits = 0;
        nextCommitAttempt = null;
        lastCommit = now;
        ready.forEach((partition, prefix) -> partition.committed(prefix.size()));
        metrics.batchCommitted();
        spans.forEach(span -> metrics.spanCommitted(span.getStatus()));
        letters.forEach(metrics::deadLetterCommitted);
        tellCommitted(spans);
    }

    /** The results stay where they are and go into the next transaction; the calls are not made again. */
    private void abortAfter(KafkaException cause, Instant now, int records) {
        metrics.batchAborted();
        LOG.warn("Transaction of {} records of tier {} failed ({}); aborting, the results are kept for the next one", records, tier,
                cause.toString());
        try {
            producer.abortTransaction();
        } catch (RuntimeException abortFailed) {
            producerUsable = false;
            abortFailed.addSuppressed(cause);
            throw new IllegalStateException("the failed transaction of tier " + tier + " could not be aborted", abortFailed);
        }
        failedCommits++;
        if (failedCommits >= MAX_FAILED_COMMITS) {
            throw new IllegalStateException(failedCommits + " transactions of tier " + tier + " failed in a row", cause);
        }
        nextCommitAttempt = now.plusMillis(100L << failedCommits);
    }

    private void encode(TopicPartition partition, PendingRecord pending, List<ProducerRecord<byte[], byte[]>> out,
                        List<ResultSpan> spans, List<DeadLetterReason> letters) {
        if (pending.deadLetter != null) {
            out.add(pending.deadLetter.record(tier));
            letters.add(pending.deadLetter.reason());
            return;
        }
        AttemptOutcome outcome = pending.outcome();
        ResultSpan span = outcome.span();
        String resultsTopic = Topics.results(tier).name();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(2);
        try {
            records.add(new ProducerRecord<>(resultsTopic, utf8(span.getTaskId()), codec.spans().serialize(resultsTopic, span)));
            AgentTask escalation = outcome.escalation();
            if (escalation != null) {
                records.add(new ProducerRecord<>(Topics.TASKS.name(), utf8(escalation.getTaskId()),
                        codec.tasks().serialize(Topics.TASKS.name(), escalation)));
            }
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                throw new RegistryUnreachable(e);
            }
            // A result that cannot be encoded must still not vanish: the task goes to the dead letters instead.
            WorkerDeadLetter letter = new WorkerDeadLetter(partition, pending.offset, pending.key, pending.value,
                    DeadLetterReason.PROCESSING_ERROR, "the attempt's result could not be encoded: " + e.getMessage(), e);
            out.add(letter.record(tier));
            letters.add(letter.reason());
            return;
        }
        out.addAll(records);
        spans.add(span);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Only now: exactly the spans read_committed readers see, never those of an aborted transaction. */
    private void tellCommitted(List<ResultSpan> spans) {
        if (committed == CommittedSpans.NONE || spans.isEmpty()) {
            return;
        }
        try {
            committed.committed(List.copyOf(spans));
        } catch (RuntimeException e) {
            LOG.warn("Committed-spans listener failed for {} spans of tier {}; the spans are committed regardless",
                    spans.size(), tier, e);
        }
    }

    /** What the loop is doing: RUNNING until it stopped on request (STOPPED) or could not go on (FAILED). */
    public State state() {
        return state;
    }

    /** Why the loop stopped when it could not go on; null otherwise. */
    public Throwable failure() {
        return failure;
    }

    /** Stops fetching; the calls in flight get the shutdown grace to finish and commit, then the loop leaves its group. */
    @Override
    public void close() {
        running.set(false);
    }

    /** Partitions come and go with the group; what finished is committed before a partition is handed over. */
    private final class Rebalances implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> progress.putIfAbsent(partition, new PartitionProgress(partition)));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (producerUsable) {
                // Their calls in flight are paid for: let them finish (for a while) so the next owner need not call
                // again; on close, drain() has already given them the grace.
                long until = running.get() ? System.nanoTime() + revocationGrace.toNanos() : System.nanoTime();
                for (TopicPartition partition : partitions) {
                    PartitionProgress leaving = progress.get(partition);
                    if (leaving != null) {
                        leaving.records().forEach(pending -> pending.awaitCall(Duration.ofNanos(until - System.nanoTime())));
                    }
                }
                settle(clock.instant());
                commitIfDue(clock.instant(), true);
            }
            abandon(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            abandon(partitions); // another member may own them already: committing now could double their results
        }

        private void abandon(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                PartitionProgress gone = progress.remove(partition);
                if (gone != null && gone.size() > 0) {
                    LOG.info("Partition {} left this worker with {} records not committed; its next owner redoes them", partition,
                            gone.size());
                    gone.abandon();
                }
            }
        }
    }

    /** Encoding a result needs the registry, and it could not be reached: nothing is committed this time. */
    private static final class RegistryUnreachable extends RuntimeException {
        RegistryUnreachable(Throwable cause) {
            super(cause);
        }
    }
}
