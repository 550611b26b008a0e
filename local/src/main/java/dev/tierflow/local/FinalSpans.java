package dev.tierflow.local;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads, committed only, the result spans of a set of task ids until each has its final span (one not
 * escalated: OK, failed at the top tier, an error, out of budget), or the time is up.
 */
final class FinalSpans {

    private static final Duration POLL = Duration.ofMillis(250);

    private FinalSpans() {
    }

    /** Every span of the tasks read before each had a final one or {@code timeout} passed, in the order read. */
    static List<ResultSpan> await(String bootstrapServers, AvroSerdes serdes, List<String> tiers, Set<String> ids, Duration timeout) {
        Properties props = ReportConsumers.readCommittedFromStart(bootstrapServers, "tierflow-span-report-");
        List<ResultSpan> spans = new ArrayList<>();
        Set<String> finished = new HashSet<>();
        try (KafkaConsumer<String, ResultSpan> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                serdes.avro(ResultSpan.class, false).deserializer())) {
            consumer.subscribe(tiers.stream().map(t -> Topics.results(t).name()).toList());
            Instant deadline = Instant.now().plus(timeout);
            while (finished.size() < ids.size() && Instant.now().isBefore(deadline)) {
                consumer.poll(POLL).forEach(r -> {
                    if (ids.contains(r.key())) {
                        spans.add(r.value());
                        if (!r.value().getEscalated()) {
                            finished.add(r.key());
                        }
                    }
                });
            }
        }
        return spans;
    }
}
