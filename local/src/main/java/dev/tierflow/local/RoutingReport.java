package dev.tierflow.local;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads, committed only, where the router put a set of task ids, as a table. */
final class RoutingReport {

    private RoutingReport() {
    }

    /** One line per id: its tier, model, budget and rule, or its dead-letter reason. */
    static Map<String, String> await(String bootstrapServers, AvroSerdes serdes, List<String> tiers, Set<String> ids, Duration timeout) {
        Properties props = ReportConsumers.readCommittedFromStart(bootstrapServers, "tierflow-report-");
        var routedDeserializer = serdes.avro(RoutedTask.class, false).deserializer();
        Map<String, String> outcome = new LinkedHashMap<>();
        List<String> topics = new ArrayList<>(tiers.stream().map(t -> Topics.routedTasks(t).name()).toList());
        topics.add(Topics.TASKS_DLQ.name());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            Instant deadline = Instant.now().plus(timeout);
            while (outcome.size() < ids.size() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.key() == null || !ids.contains(record.key())) {
                        continue;
                    }
                    if (record.topic().equals(Topics.TASKS_DLQ.name())) {
                        outcome.put(record.key(), "DLQ  " + header(record, DeadLetterHeaders.REASON) + ": " + header(record, DeadLetterHeaders.DETAIL));
                    } else {
                        RoutedTask routed = routedDeserializer.deserialize(record.topic(), record.value());
                        outcome.put(record.key(), String.format("%-9s %-22s %5d tok  %s (%s)", routed.getTier(), routed.getModel(),
                                routed.getMaxOutputTokens(), routed.getRule(), routed.getRuleDetail()));
                    }
                }
            }
        }
        return outcome;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
