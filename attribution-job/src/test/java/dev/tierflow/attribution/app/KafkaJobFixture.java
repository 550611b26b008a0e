package dev.tierflow.attribution.app;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TierFlowInfra;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.awaitility.Awaitility;

/**
 * The attribution job against the real broker and registry: the example policy and prices, its input
 * topics, producing records in event-time order, and reading committed output.
 */
final class KafkaJobFixture {

    static final Path POLICY = Path.of("../examples/policy.yaml");
    static final Path PRICES = Path.of("../examples/prices.yaml");
    static final int PARTITIONS = 2;

    final TierFlowInfra infra;
    final RoutingPolicy policy = PolicyLoader.load(POLICY);
    final PriceCatalog prices = PriceCatalog.load(PRICES);
    private final Serializer<RoutedTask> routedSerializer;
    private final Serializer<ResultSpan> spanSerializer;

    KafkaJobFixture(TierFlowInfra infra) {
        this.infra = infra;
        routedSerializer = infra.avroSerdes().avro(RoutedTask.class, false).serializer();
        spanSerializer = infra.avroSerdes().avro(ResultSpan.class, false).serializer();
        List<String> topics = new ArrayList<>();
        for (Tier tier : policy.tiers()) {
            topics.add(Topics.routedTasks(tier.name()).name());
            topics.add(Topics.results(tier.name()).name());
        }
        topics.addAll(List.of(Topics.OTLP_SPANS.name(), Topics.STATS.name(), Topics.STUCK.name(), Topics.UNMATCHED.name(),
                Topics.LATE.name(), Topics.ATTRIBUTION_DLQ.name()));
        infra.createTopics(PARTITIONS, topics.toArray(String[]::new));
        keepForever(topics);
    }

    /**
     * The records carry event times from {@code TestInstants.BEGINNING}, months before the wall clock, and the
     * broker's retention check (30 s after it starts, then every 5 min) would delete such segments, input and
     * output alike, in the middle of a test: no time-based retention on these topics.
     */
    private void keepForever(List<String> topics) {
        AlterConfigOp noRetention = new AlterConfigOp(new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET);
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new HashMap<>();
        topics.forEach(topic -> changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(noRetention)));
        try {
            infra.admin().incrementalAlterConfigs(changes).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not turn off retention on " + topics, e);
        }
    }

    /** A bounded run (read to the end offsets at start, then finish) with small windows: 60 s sliding by 20 s. */
    AttributionSettings settings(String run, Map<String, String> overrides) {
        return AttributionSettings.from(properties(run, overrides));
    }

    /** The properties behind {@link #settings}, e.g. to pass them to the job jar as flags. */
    Properties properties(String run, Map<String, String> overrides) {
        Properties all = AttributionSettings.defaults();
        all.setProperty("bootstrap.servers", infra.bootstrapServers());
        all.setProperty("apicurio.registry.url", infra.registryUrl());
        all.setProperty(AttributionSettings.POLICY_FILE, POLICY.toString());
        all.setProperty(AttributionSettings.PRICES_FILE, PRICES.toString());
        all.setProperty(AttributionSettings.GROUP_ID, "attribution-" + run);
        all.setProperty(AttributionSettings.TRANSACTIONAL_ID_PREFIX, "attribution-" + run);
        all.setProperty(AttributionSettings.BOUNDED, "true");
        all.setProperty(AttributionSettings.OTLP_ENABLED, "true");
        all.setProperty(AttributionSettings.WINDOW_SIZE, "60 s");
        all.setProperty(AttributionSettings.WINDOW_SLIDE, "20 s");
        all.setProperty(AttributionSettings.ALLOWED_LATENESS, "0 s");
        all.setProperty(AttributionSettings.OUT_OF_ORDERNESS, "1 s");
        all.setProperty(AttributionSettings.JOIN_BOUND, "5 min");
        all.setProperty(AttributionSettings.STUCK_AFTER, "2 min");
        all.setProperty(AttributionSettings.CHECKPOINT_INTERVAL, "200 ms");
        all.setProperty(AttributionSettings.TRANSACTION_TIMEOUT, "2 min");
        all.setProperty(AttributionSettings.PARALLELISM, "2");
        all.setProperty(AttributionSettings.TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        // the records' event times start at TestInstants.BEGINNING, far behind the wall clock: the tests that
        // check the event-time bounds set them again, with a fixed clock
        all.setProperty(AttributionSettings.EVENT_TIME_MAX_PAST, "0 s");
        overrides.forEach(all::setProperty);
        return all;
    }

    ProducerRecord<byte[], byte[]> routed(RoutedTask routed) {
        String topic = Topics.routedTasks(routed.getTier()).name();
        return new ProducerRecord<>(topic, null, routed.getRoutedAt().toEpochMilli(), key(routed.getTask().getTaskId()),
                routedSerializer.serialize(topic, routed));
    }

    ProducerRecord<byte[], byte[]> span(ResultSpan span) {
        String topic = Topics.results(span.getTier()).name();
        return new ProducerRecord<>(topic, null, span.getEndedAt().toEpochMilli(), key(span.getTaskId()),
                spanSerializer.serialize(topic, span));
    }

    /** Sends in order and waits for every acknowledgement, so each partition holds them in this order. */
    void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties config = infra.producerProps();
        config.put("enable.idempotence", "true");
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
        }
    }

    /** Committed records of {@code topic} from {@code from} (offsets per partition; missing = 0) to its current end. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, Map<TopicPartition, Long> from) {
        try (var consumer = new KafkaConsumer<>(infra.consumerProps("reader-" + System.nanoTime(), true),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            partitions.forEach(p -> consumer.seek(p, from.getOrDefault(p, 0L)));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Awaitility.await("committed records of " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }

    <T> List<T> readCommitted(String topic, Map<TopicPartition, Long> from, Function<ConsumerRecord<byte[], byte[]>, T> decode) {
        return readCommitted(topic, from).stream().map(decode).toList();
    }

    /** The current end offsets of {@code topic} (read_committed: the last stable offsets). */
    Map<TopicPartition, Long> endOffsets(String topic) {
        try (var consumer = new KafkaConsumer<>(infra.consumerProps("reader-" + System.nanoTime(), true),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    <T extends org.apache.avro.specific.SpecificRecord> Function<ConsumerRecord<byte[], byte[]>, T> avro(Class<T> type) {
        var deserializer = infra.avroSerdes().deserializer(type);
        return record -> deserializer.deserialize(record.topic(), record.value());
    }

    private static byte[] key(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
