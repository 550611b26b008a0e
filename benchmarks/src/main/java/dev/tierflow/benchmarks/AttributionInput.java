package dev.tierflow.benchmarks;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The attribution job's input, produced once per bench run: N routed tasks on {@code tasks.<tier>} and
 * their N result spans on {@code results.<tier>}, all from a fixed seed.
 *
 * <p>Task {@code i} is routed at {@code BASE + i ms} (so 1M tasks span ~17 minutes of event time, many
 * 5-minute windows sliding by 30 s); its span ends 0.2 to 4 s later. Records are sent in event-time order
 * (spans through a small reorder queue), so every partition holds them in event-time order. The task
 * mix is {@link TaskMix} (roles, types, tenants, escalated attempts); the tier follows the example
 * policy's static role rules, with a seeded pick for the roles it leaves to the classifier. Tokens,
 * cost, latency, status and quality are drawn from the same seed. Every span matches its routed task.
 */
final class AttributionInput {

    /** Event time of task 0; the bench's topics keep records for ever (retention.ms=-1), so an old base is fine. */
    static final Instant BASE = Instant.parse("2026-11-23T09:00:00Z");
    private static final int MAX_LATENCY_MS = 4_000;

    private AttributionInput() {
    }

    /** What one produce run wrote. */
    record Produced(long routedTasks, long spans, long valueBytes, double seconds, long firstEventMillis, long lastEventMillis) {
    }

    private record PendingSpan(long endedAtMillis, long index, ResultSpan span) {
    }

    static Produced produce(String bootstrap, String registryUrl, RoutingPolicy policy, long n, long seed) {
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        Serializer<RoutedTask> routedSerializer = serdes.avro(RoutedTask.class, false).serializer();
        Serializer<ResultSpan> spanSerializer = serdes.avro(ResultSpan.class, false).serializer();
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"); // keeps the send order per partition
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
        TaskMix mix = new TaskMix(seed, 0.0);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5A17L);
        PriorityQueue<PendingSpan> pending = new PriorityQueue<>((a, b) -> a.endedAtMillis != b.endedAtMillis
                ? Long.compare(a.endedAtMillis, b.endedAtMillis) : Long.compare(a.index, b.index));
        AtomicReference<Exception> failed = new AtomicReference<>();
        AtomicLong valueBytes = new AtomicLong();
        long routedCount = 0;
        long spanCount = 0;
        long lastEvent = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < n && failed.get() == null; i++) {
                long routedAt = BASE.toEpochMilli() + i;
                while (!pending.isEmpty() && pending.peek().endedAtMillis <= routedAt) {
                    spanCount += sendSpan(producer, spanSerializer, pending.poll().span, failed, valueBytes);
                }
                AgentTask task = mix.next();
                Tier tier = tierOf(policy, task, random);
                RoutedTask routed = routedTask(policy, task, tier, routedAt, random);
                String topic = Topics.routedTasks(tier.name()).name();
                send(producer, new ProducerRecord<>(topic, null, routedAt, key(task.getTaskId()), routedSerializer.serialize(topic, routed)),
                        failed, valueBytes);
                routedCount++;
                ResultSpan span = span(routed, random);
                pending.add(new PendingSpan(span.getEndedAt().toEpochMilli(), i, span));
            }
            while (!pending.isEmpty() && failed.get() == null) {
                PendingSpan last = pending.poll();
                lastEvent = last.endedAtMillis;
                spanCount += sendSpan(producer, spanSerializer, last.span, failed, valueBytes);
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing the attribution input failed", failed.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Produced(routedCount, spanCount, valueBytes.get(), seconds, BASE.toEpochMilli(), lastEvent);
    }

    private static int sendSpan(KafkaProducer<byte[], byte[]> producer, Serializer<ResultSpan> serializer, ResultSpan span,
                                AtomicReference<Exception> failed, AtomicLong valueBytes) {
        String topic = Topics.results(span.getTier()).name();
        send(producer, new ProducerRecord<>(topic, null, span.getEndedAt().toEpochMilli(), key(span.getTaskId()),
                serializer.serialize(topic, span)), failed, valueBytes);
        return 1;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record,
                             AtomicReference<Exception> failed, AtomicLong valueBytes) {
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                failed.compareAndSet(null, e);
            } else {
                valueBytes.addAndGet(metadata.serializedValueSize());
            }
        });
    }

    /** The static role rule where the policy has one; otherwise small 45 %, mid 40 %, frontier 15 %. */
    private static Tier tierOf(RoutingPolicy policy, AgentTask task, SplittableRandom random) {
        Tier byRole = policy.tierForRole(task.getRole());
        int pick = random.nextInt(100);
        if (byRole != null) {
            return byRole;
        }
        List3 tiers = new List3(policy);
        return pick < 45 ? tiers.small : pick < 85 ? tiers.mid : tiers.frontier;
    }

    /** The example policy's three tiers, cheapest first. */
    private record List3(Tier small, Tier mid, Tier frontier) {
        List3(RoutingPolicy policy) {
            this(policy.tiers().get(0), policy.tiers().get(Math.min(1, policy.tiers().size() - 1)), policy.topTier());
        }
    }

    private static RoutedTask routedTask(RoutingPolicy policy, AgentTask task, Tier tier, long routedAt, SplittableRandom random) {
        boolean byRole = policy.tierForRole(task.getRole()) != null;
        int budget = task.getRequestedMaxOutputTokens() != null ? task.getRequestedMaxOutputTokens() : 256 << random.nextInt(4);
        return RoutedTask.newBuilder()
                .setTask(task)
                .setTier(tier.name()).setModel(tier.model()).setProvider(tier.provider())
                .setMaxOutputTokens(budget)
                .setPolicyVersion(policy.version())
                .setOverrideVersion(null)
                .setRule(byRole ? RoutingRule.STATIC_RULE : RoutingRule.CLASSIFIER)
                .setRuleDetail(byRole ? "role=" + task.getRole() : "inputTokens>=" + (task.getInputTokens() / 1000) * 1000)
                .setRoutedAt(Instant.ofEpochMilli(routedAt))
                .build();
    }

    private static ResultSpan span(RoutedTask routed, SplittableRandom random) {
        AgentTask task = routed.getTask();
        long latency = 200 + random.nextInt(MAX_LATENCY_MS - 200);
        Instant ended = routed.getRoutedAt().plusMillis(latency);
        long output = 20 + random.nextInt(Math.max(1, routed.getMaxOutputTokens()));
        long input = task.getInputTokens();
        long cached = random.nextInt(100) < 30 ? input / 2 : 0;
        // micro-dollars per token: small 1, mid 3, frontier 15 for input; 5x that for output
        long rate = switch (routed.getTier()) {
            case "small" -> 1;
            case "mid" -> 3;
            default -> 15;
        };
        int outcome = random.nextInt(100);
        SpanStatus status = outcome < 2 ? SpanStatus.ERROR : outcome < 5 ? SpanStatus.CHECK_FAILED : SpanStatus.OK;
        boolean checked = task.getOutputContract() != null && status != SpanStatus.ERROR;
        return ResultSpan.newBuilder()
                .setTaskId(task.getTaskId()).setRunId(task.getRunId())
                .setSpanId(task.getTaskId() + "#" + task.getAttempt()).setAttempt(task.getAttempt())
                .setRole(task.getRole()).setTaskType(task.getTaskType()).setTenant(task.getTenant())
                .setTier(routed.getTier()).setModel(routed.getModel()).setProvider(routed.getProvider()).setFallbackFrom(null)
                .setMaxOutputTokens(routed.getMaxOutputTokens())
                .setInputTokens(input).setOutputTokens(status == SpanStatus.ERROR ? 0 : output).setCachedInputTokens(cached)
                .setCostMicros(rate * (input - cached) + rate * cached / 10 + 5 * rate * output)
                .setLatencyMs(latency)
                .setStatus(status)
                .setQuality(status == SpanStatus.ERROR || random.nextInt(100) < 30 ? null : 0.5 + random.nextDouble() / 2)
                .setCheckPassed(checked ? status == SpanStatus.OK : null)
                .setCheckDetail(status == SpanStatus.CHECK_FAILED ? "missing field: confidence"
                        : status == SpanStatus.ERROR ? "provider timeout" : null)
                .setEscalated(status != SpanStatus.OK && random.nextInt(100) < 50)
                .setStartedAt(routed.getRoutedAt()).setEndedAt(ended)
                .build();
    }

    private static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String describe(Produced produced) {
        long records = produced.routedTasks() + produced.spans();
        return String.format(Locale.ROOT, "produced %,d routed tasks + %,d spans (avg value %d bytes) in %.1f s: %,.0f records/s;"
                        + " event time %s .. %s (%.1f min)", produced.routedTasks(), produced.spans(),
                produced.valueBytes() / Math.max(1, records), produced.seconds(), records / produced.seconds(),
                Instant.ofEpochMilli(produced.firstEventMillis()), Instant.ofEpochMilli(produced.lastEventMillis()),
                (produced.lastEventMillis() - produced.firstEventMillis()) / 60_000.0);
    }
}
