package dev.tierflow.local;

import dev.tierflow.attribution.app.AttributionSettings;
import dev.tierflow.local.dashboard.DashboardData;
import dev.tierflow.local.dashboard.Snapshot;
import dev.tierflow.local.replay.Baselines;
import dev.tierflow.local.replay.ReplayReport;
import dev.tierflow.local.replay.ReplayTasks;
import dev.tierflow.local.replay.ReplayTiers;
import dev.tierflow.local.replay.RoutedStrategy;
import dev.tierflow.local.replay.StrategyResult;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.Topics;
import dev.tierflow.worker.replay.ReplayIndex;
import dev.tierflow.worker.replay.ReplayLayout;
import dev.tierflow.worker.replay.ReplayLoader;
import dev.tierflow.worker.replay.ReplayOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tierflow replay FILE}: recorded per-model outcomes through the whole pipeline (router, a replay
 * worker per tier, the attribution and alerting jobs), then cost and quality of the policy as routed against
 * uniform-frontier, uniform-small and the per-prompt oracle, as a table and a CSV.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Sends one task per recorded prompt through the whole stack, every tier answering from the recorded outcomes, "
                + "and reports cost and quality against uniform-frontier, uniform-small and the per-prompt oracle.")
final class ReplayCommand implements Callable<Integer> {

    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);
    private static final Duration ATTRIBUTION_WAIT = Duration.ofMinutes(5);

    @Parameters(index = "0", paramLabel = "FILE", description = "Recorded outcomes: RouterBench wide or long layout, CSV or JSONL.")
    Path file;

    @Option(names = "--policy", defaultValue = "examples/policy.yaml", description = "Policy YAML (default: ${DEFAULT-VALUE}).")
    Path policyFile;

    @Option(names = "--prices", defaultValue = "examples/prices.yaml", description = "Price catalog YAML, for outcomes without a recorded cost (default: ${DEFAULT-VALUE}).")
    Path pricesFile;

    @Option(names = "--model", paramLabel = "TIER=RECORDED", description = "The recorded model that answers for a tier (one per tier; "
            + "needed when the file lacks the tier's model and the policy's tiers[].backend.recordedModels does not map it).")
    Map<String, String> models = new LinkedHashMap<>();

    @Option(names = "--role", defaultValue = "worker", description = "The role of every task (default: ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--task-type", description = "The type of every task (default: the prompt's category, e.g. RouterBench eval_name).")
    String taskType;

    @Option(names = "--tenant", defaultValue = "replay", description = "The tenant of every task (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--success-score", defaultValue = "0.5", description = "A recorded score at or above this is a success; "
            + "below it the task escalates (default: ${DEFAULT-VALUE}).")
    double successScore;

    @Option(names = "--csv", description = "Where to write the report as CSV (default: replay-report.csv in --out).")
    Path csv;

    @Option(names = "--out", defaultValue = ".", description = "Directory of the default CSV (default: the working directory).")
    Path outDir;

    @Option(names = "--layout", description = "WIDE or LONG (default: detected).")
    ReplayLayout layout;

    @Option(names = "--id-column", description = "The prompt id column (default: sample_id wide, prompt_id long).")
    String idColumn;

    @Option(names = "--category-column", description = "The category column (default: eval_name, else category).")
    String categoryColumn;

    @Mixin
    StackOptions stackOptions = new StackOptions();

    private final PrintStream out;

    ReplayCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        // Everything that can be wrong with the inputs is found before anything starts.
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        PriceCatalog prices = PriceCatalog.load(pricesFile);
        ReplayIndex index = ReplayLoader.load(file, new ReplayOptions(layout, null, idColumn, categoryColumn));
        ReplayTiers tiers = ReplayTiers.of(policy, index, models);
        List<AgentTask> tasks = new ReplayTasks(tenant, role, taskType, successScore).of(index, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<StrategyResult> baselines = new Baselines(tiers, prices, successScore).all(tasks);
        out.printf(Locale.ROOT, "Replaying %d prompts from %s; tiers answer as %s%n", tasks.size(), file, recordedModels(tiers));

        Path data = stackOptions.dataDirectory("tierflow-replay-");
        try (LocalStack stack = LocalStack.start(stackOptions.ports(), data)) {
            Pipeline.Options onStack = new Pipeline.Options(stack.bootstrapServers(), stack.registryUrl(), policyFile.toAbsolutePath(),
                    pricesFile.toAbsolutePath(), data, 3, stackOptions.metricsPort, attributionSettings(), DemoCommand.alertingSettings());
            List<ResultSpan> spans;
            Snapshot stats;
            try (Pipeline pipeline = Pipeline.start(onStack, tiers::backend, false);
                 DashboardData statsFeed = DashboardData.start(stack.bootstrapServers(), stack.registryUrl(), policy)) {
                if (!pipeline.router().awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("router did not reach RUNNING within 60 s: " + pipeline.router().state());
                }
                send(stack, tasks);
                out.println("Sent; waiting for every task's final span...");
                spans = finalSpans(stack, policy, tasks);
                out.println("Every task has its final span; attributing the run...");
                Pipeline.attributeToTheEnd(onStack, ATTRIBUTION_WAIT);
                stats = SettledStats.await(statsFeed);
            }
            report(policy, tasks, spans, baselines, stats);
        }
        return 0;
    }

    private void report(RoutingPolicy policy, List<AgentTask> tasks, List<ResultSpan> spans, List<StrategyResult> baselines,
                        Snapshot stats) throws IOException {
        StrategyResult routed = RoutedStrategy.of(tasks, spans, successScore);
        List<StrategyResult> rows = new ArrayList<>();
        rows.add(routed);
        rows.addAll(baselines);
        ReplayReport report = new ReplayReport(policy.tiers().stream().map(Tier::name).toList(), rows);
        out.println();
        out.printf(Locale.ROOT, "Replay of %s: %d tasks, success = recorded score >= %s%n", file, tasks.size(), successScore);
        report.table().forEach(line -> out.println("  " + line));
        long spent = stats.savings().spentMicros();
        long difference = spent - routed.costMicros();
        out.printf(Locale.ROOT, "  attribution job: %,d µ$ over %d non-overlapping window(s) of the tenants: %s%n", spent, stats.savings().windows(),
                difference == 0 ? "matches the tierflow row" : String.format(Locale.ROOT, "differs from the tierflow row by %,d µ$", difference));
        for (StrategyResult row : rows) {
            if (row.withoutOutcome() > 0) {
                out.printf(Locale.ROOT, "  %s: %d of %d tasks had no recorded outcome for the model asked (error spans; counted as failures, quality 0)%n",
                        row.strategy(), row.withoutOutcome(), row.tasks());
            }
        }
        Path csvFile = csv != null ? csv : outDir.resolve("replay-report.csv");
        if (csvFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(csvFile.toAbsolutePath().getParent());
        }
        Files.writeString(csvFile, report.csv(), StandardCharsets.UTF_8);
        out.println("  CSV: " + csvFile);
    }

    private static void send(LocalStack stack, List<AgentTask> tasks) {
        try (KafkaProducer<String, AgentTask> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5),
                new StringSerializer(), AvroSerdes.forRegistry(stack.registryUrl()).valueSerde(Topics.TASKS).serializer())) {
            tasks.forEach(task -> producer.send(new ProducerRecord<>(Topics.TASKS.name(), task.getTaskId(), task)));
        }
    }

    /** Every span of the tasks, once each has its final one; refuses to report on a run that did not finish. */
    private List<ResultSpan> finalSpans(LocalStack stack, RoutingPolicy policy, List<AgentTask> tasks) {
        Set<String> ids = new LinkedHashSet<>(tasks.stream().map(AgentTask::getTaskId).toList());
        Duration wait = stackOptions.duration != null ? stackOptions.duration : DEFAULT_WAIT;
        List<ResultSpan> spans = FinalSpans.await(stack.bootstrapServers(), AvroSerdes.forRegistry(stack.registryUrl()),
                policy.tiers().stream().map(Tier::name).toList(), ids, wait);
        spans.stream().filter(span -> !span.getEscalated()).forEach(span -> ids.remove(span.getTaskId()));
        if (!ids.isEmpty()) {
            throw new IllegalStateException(ids.size() + " of " + tasks.size() + " tasks have no final span after " + wait
                    + " (dead-lettered? see " + Topics.TASKS_DLQ.name() + "), e.g. " + ids.stream().limit(5).toList());
        }
        return spans;
    }

    private static String recordedModels(ReplayTiers tiers) {
        return String.join(", ", tiers.tiers().stream().map(t -> t.name() + "=" + tiers.recordedModel(t.name())).toList());
    }

    /**
     * One-minute windows; generous lateness and out-of-orderness, since the bounded run reads every tier's
     * topics at its own pace and no span may miss its window.
     */
    private static Map<String, String> attributionSettings() {
        return Map.of(AttributionSettings.WINDOW_SIZE, "1 min", AttributionSettings.WINDOW_SLIDE, "30 s",
                AttributionSettings.OUT_OF_ORDERNESS, "10 s", AttributionSettings.ALLOWED_LATENESS, "10 min",
                AttributionSettings.IDLENESS, "5 s", AttributionSettings.CHECKPOINT_INTERVAL, "1 s",
                AttributionSettings.STUCK_AFTER, "2 min", AttributionSettings.JOIN_BOUND, "5 min");
    }
}
