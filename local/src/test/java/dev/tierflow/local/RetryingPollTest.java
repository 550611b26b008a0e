package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A registry outage in the middle of a batch: nothing is skipped, nothing handed on twice, and the wait backs off. */
class RetryingPollTest {

    private static final TopicPartition STATS = new TopicPartition("stats.role", 0);
    private static final TopicPartition POLICY = new TopicPartition("policy", 0);
    private static final Duration POLL = Duration.ofMillis(10);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final List<String> handedOn = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    /** Records whose decoding meets a registry outage, while it lasts. */
    private final Set<String> outageAt = new HashSet<>();

    private final RetryingPoll poll = new RetryingPoll(consumer, record -> {
        String name = new String(record.value(), StandardCharsets.UTF_8);
        if (outageAt.contains(name)) {
            throw new RegistryUnavailableException(record.topic(), record.partition(), record.offset(), new ConnectException("Connection refused"));
        }
        handedOn.add(name);
    }, waits::add);

    @Test
    void anOutageMidBatchReadsTheRecordAndTheRestAgainOnceTheRegistryIsBack() throws Exception {
        consumer.assign(List.of(STATS, POLICY));
        Map<TopicPartition, Long> beginnings = new HashMap<>(Map.of(STATS, 0L, POLICY, 0L));
        consumer.updateBeginningOffsets(beginnings);
        for (int i = 0; i < 3; i++) {
            log.add(record(STATS, i, "stats-" + i));
            log.add(record(POLICY, i, "policy-" + i));
        }
        outageAt.add("stats-1");

        pollFromTheLog();
        pollFromTheLog();
        pollFromTheLog();

        // stats-0 went through; stats-1 and everything after it in its batch were sought back to, three times
        // (the policy partition was handed on whole or sought back whole, depending on the batch's order)
        assertThat(handedOn).contains("stats-0").doesNotContain("stats-1", "stats-2");
        assertThat(consumer.position(STATS)).isEqualTo(1);
        assertThat(consumer.position(POLICY)).isEqualTo(handedOn.stream().filter(name -> name.startsWith("policy-")).count());
        assertThat(poll.outage()).isNotNull();
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000));

        outageAt.clear();
        pollFromTheLog();
        pollFromTheLog();

        assertThat(handedOn).containsExactlyInAnyOrder("stats-0", "stats-1", "stats-2", "policy-0", "policy-1", "policy-2");
        assertThat(handedOn).containsSubsequence("stats-0", "stats-1", "stats-2").containsSubsequence("policy-0", "policy-1", "policy-2");
        assertThat(poll.outage()).isNull();
        assertThat(waits).hasSize(3);
        assertThat(poll.nextBackoff()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theBackoffStopsGrowingAtItsCap() throws Exception {
        consumer.assign(List.of(STATS));
        consumer.updateBeginningOffsets(new HashMap<>(Map.of(STATS, 0L)));
        outageAt.add("stats-0");
        for (int i = 0; i < 8; i++) {
            consumer.addRecord(record(STATS, 0, "stats-0"));
            poll.pollOnce(POLL);
        }

        // 0.5, 1, 2, 4, 8, then 10 s from there on
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(handedOn).isEmpty();
    }

    /** The topics' log: a broker returns whatever lies at or after the position, again after a seek back. */
    private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();

    private void pollFromTheLog() throws InterruptedException {
        // MockConsumer forgets records once polled: hand it what a broker would serve from the current positions
        log.stream().filter(r -> r.offset() >= consumer.position(new TopicPartition(r.topic(), r.partition()))).forEach(consumer::addRecord);
        poll.pollOnce(POLL);
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, String value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, value.getBytes(StandardCharsets.UTF_8));
    }
}
