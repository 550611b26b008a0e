package dev.tierflow.local;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads, committed only, the result spans of a set of task ids, until each has a final span, as lines. */
final class SpanReport {

    private SpanReport() {
    }

    static List<String> await(String bootstrapServers, AvroSerdes serdes, List<String> tiers, Set<String> ids, Duration timeout) {
        Properties props = ReportConsumers.readCommittedFromStart(bootstrapServers, "tierflow-span-report-");
        List<ResultSpan> spans = new ArrayList<>();
        try (KafkaConsumer<String, ResultSpan> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                serdes.avro(ResultSpan.class, false).deserializer())) {
            consumer.subscribe(tiers.stream().map(t -> Topics.results(t).name()).toList());
            Instant deadline = Instant.now().plus(timeout);
            while (finished(spans, ids) < ids.size() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(250)).forEach(r -> {
                    if (ids.contains(r.key())) {
                        spans.add(r.value());
                    }
                });
            }
        }
        long total = spans.stream().mapToLong(ResultSpan::getCostMicros).sum();
        List<String> lines = spans.stream()
                .sorted(Comparator.comparing(ResultSpan::getTaskId).thenComparing(ResultSpan::getAttempt))
                .map(s -> String.format(Locale.ROOT, "%-34s attempt %d  %-8s %-22s %-16s %6d in %5d out  %,8d µ$%s",
                        s.getTaskId(), s.getAttempt(), s.getTier(), s.getModel(), s.getStatus(), s.getInputTokens(),
                        s.getOutputTokens(), s.getCostMicros(), s.getEscalated() ? "  -> escalated" : ""))
                .collect(Collectors.toCollection(ArrayList::new));
        lines.add(String.format(Locale.ROOT, "total: %d spans, %,d µ$ ($%.6f)", spans.size(), total, total / 1_000_000.0));
        return lines;
    }

    /** Tasks whose latest span is final (not escalated). */
    private static long finished(List<ResultSpan> spans, Set<String> ids) {
        return ids.stream().filter(id -> spans.stream().anyMatch(s -> s.getTaskId().equals(id) && !s.getEscalated())).count();
    }
}
