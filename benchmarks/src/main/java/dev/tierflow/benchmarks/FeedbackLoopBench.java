package dev.tierflow.benchmarks;

import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.local.Pipeline;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Feedback-loop latency: from the first degraded span to the first task the router sends to the new
 * tier. Runs the whole pipeline (embedded broker and registry, router, simulated workers, both Flink
 * jobs) with a steady load of worker tasks, lets the windows fill with healthy spans, then degrades the
 * small tier's quality for role {@code worker} and times each step of the loop on the wall clock.
 */
@Command(name = "feedback-loop-bench", mixinStandardHelpOptions = true,
        description = "Times the loop: degraded spans -> stats -> quality alert -> policy change -> re-routed task.")
public final class FeedbackLoopBench implements Callable<Integer> {

    @Option(names = "--window-size", defaultValue = "5 min", description = "Attribution window size (default: ${DEFAULT-VALUE}, the job's default).")
    String windowSize;

    @Option(names = "--window-slide", defaultValue = "30 s", description = "Attribution window slide (default: ${DEFAULT-VALUE}, the job's default).")
    String windowSlide;

    @Option(names = "--rate", defaultValue = "20", description = "Worker tasks per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--warmup", description = "Healthy load before the degradation (default: one window size).")
    String warmup;

    @Option(names = "--degrade", defaultValue = "0.75", description = "Quality taken away from small-tier worker calls (default: ${DEFAULT-VALUE}: 0.80 -> 0.05).")
    double degrade;

    @Option(names = "--work", description = "Work directory (default: a new temporary one).")
    Path work;

    /** The example tiers; worker starts on small; a floor for the worker and a generous ceiling for everyone. */
    static final String POLICY = """
            version: "feedback-loop-bench"
            tiers:
              - {name: small, model: claude-haiku-4-5, provider: anthropic}
              - {name: mid, model: claude-sonnet-4-5, provider: anthropic}
              - {name: frontier, model: claude-opus-4-6, provider: anthropic}
            defaultTier: mid
            roles: {planner: frontier, worker: small}
            budgets: {default: 512, taskTypes: {extract: 512}}
            alerting:
              qualityFloors:
                - {scope: "role=worker", floor: 0.70, minSamples: 20}
              costCeilings:
                - {scope: "role=*", usdPerHour: 1000}
            """;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FeedbackLoopBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("feedback-loop-bench-");
        Duration slide = TimeUtils.parseDuration(windowSlide);
        Duration size = TimeUtils.parseDuration(windowSize);
        Duration warm = warmup == null ? size : TimeUtils.parseDuration(warmup);
        return BenchInfrastructure.runWith(dir, (bootstrap, registry) -> measure(bootstrap, registry, dir, size, slide, warm)) ? 0 : 1;
    }

    private boolean measure(String bootstrap, String registryUrl, Path dir, Duration size, Duration slide, Duration warm) throws Exception {
        Path policyFile = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Path prices = Path.of("examples/prices.yaml").toAbsolutePath();
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Options(bootstrap, registryUrl, policyFile, prices, dir, 3, -1,
                     Map.of(AttributionSettings.WINDOW_SIZE, windowSize, AttributionSettings.WINDOW_SLIDE, windowSlide), Map.of()));
             TopicFollower<ResultSpan> spans = follow(bootstrap, Topics.results("small").name(), serdes, ResultSpan.class);
             TopicFollower<RoutedTask> toMid = follow(bootstrap, Topics.routedTasks("mid").name(), serdes, RoutedTask.class);
             TopicFollower<Alert> alerts = follow(bootstrap, Topics.ALERTS.name(), serdes, Alert.class);
             TopicFollower<PolicyRule> rules = follow(bootstrap, Topics.POLICY.name(), serdes, PolicyRule.class);
             KafkaProducer<String, AgentTask> producer = producer(bootstrap, serdes)) {
            AtomicLong sequence = new AtomicLong();
            long periodMicros = 1_000_000L / rate;
            load.scheduleAtFixedRate(() -> {
                String id = "w-" + sequence.incrementAndGet();
                producer.send(new ProducerRecord<>(Topics.TASKS.name(), id, AgentTask.newBuilder().setTaskId(id).setRunId("bench")
                        .setTenant("acme").setRole("worker").setTaskType("extract").setInputText("Extract the invoice number.")
                        .setInputTokens(150).setAttempt(0).setCreatedAt(Instant.now()).build()));
            }, 0, periodMicros, TimeUnit.MICROSECONDS);

            System.out.printf(Locale.ROOT, "pipeline up; %d worker tasks/s; healthy for %s, then small-tier worker quality -%.2f%n",
                    rate, warm, degrade);
            new CountDownLatch(1).await(warm.toMillis(), TimeUnit.MILLISECONDS); // let the windows fill with healthy spans
            Instant degradedAt = Instant.now();
            pipeline.simulator("small").degrade("small", "worker", degrade);

            Duration deadline = size.multipliedBy(3).plusMinutes(2);
            RoutedTask rerouted = awaitFirst(toMid, r -> r.getTask().getRole().equals("worker") && r.getRule() == RoutingRule.LIVE_OVERRIDE,
                    deadline, "a worker task re-routed to mid").value();
            ResultSpan firstDegraded = spans.seen().stream().map(TopicFollower.Seen::value)
                    .filter(s -> s.getRole().equals("worker") && !s.getStartedAt().isBefore(degradedAt)).findFirst().orElseThrow();
            TopicFollower.Seen<Alert> alert = awaitFirst(alerts, a -> a.getKind() == AlertKind.QUALITY_FLOOR && a.getState() == AlertState.FIRING
                    && a.getScope().equals("role=worker"), Duration.ofSeconds(30), "the quality alert");
            TopicFollower.Seen<PolicyRule> rule = awaitFirst(rules, r -> r != null && r.getScope().equals("role=worker"),
                    Duration.ofSeconds(30), "the policy rule");

            long start = firstDegraded.getEndedAt().toEpochMilli();
            long breachWindowEnd = alert.value().getWindowEnd().toEpochMilli();
            long end = rerouted.getRoutedAt().toEpochMilli();
            System.out.println();
            System.out.printf(Locale.ROOT, "windows %s sliding by %s, %d worker tasks/s, quality 0.80 -> %.2f on small (floor 0.70)%n",
                    size, slide, rate, 0.80 - degrade);
            row("first degraded span ends", start, start);
            row("window (or its latest slice) breaking the floor ends", breachWindowEnd, start);
            row("quality alert visible on 'alerts'", alert.seenAtMillis(), start);
            row("policy rule visible on 'policy'", rule.seenAtMillis(), start);
            row("first worker task routed to mid", end, start);
            double latency = (end - start) / 1000.0;
            double target = slide.toMillis() / 1000.0 + 10;
            double controlPath = (end - breachWindowEnd) / 1000.0;
            System.out.printf(Locale.ROOT, "%nfeedback-loop latency %.1f s (target <= slide + 10 s = %.0f s: %s); of which the control path, "
                    + "from the breaching window's end to the re-routed task, %.1f s (%s)%n", latency, target, latency <= target ? "met" : "NOT met",
                    controlPath, controlPath <= target ? "<= target" : "> target");
            return true;
        } finally {
            load.shutdownNow();
        }
    }

    private static void row(String what, long atMillis, long startMillis) {
        System.out.printf(Locale.ROOT, "  %-42s %s  +%6.1f s%n", what, Instant.ofEpochMilli(atMillis), (atMillis - startMillis) / 1000.0);
    }

    private static <T> TopicFollower.Seen<T> awaitFirst(TopicFollower<T> follower, Predicate<T> matches, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TopicFollower.Seen<T>> found = follower.seen().stream().filter(s -> s.value() != null && matches.test(s.value())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("no " + what + " within " + timeout);
    }

    private static <T extends SpecificRecord> TopicFollower<T> follow(String bootstrap, String topic, AvroSerdes serdes, Class<T> type) {
        var deserializer = serdes.deserializer(type);
        return new TopicFollower<>(bootstrap, topic, record -> record.value() == null ? null : deserializer.deserialize(topic, record.value()));
    }

    private static KafkaProducer<String, AgentTask> producer(String bootstrap, AvroSerdes serdes) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 5), new StringSerializer(),
                serdes.avro(AgentTask.class, false).serializer());
    }
}
