package dev.tierflow.worker.app;

import dev.tierflow.config.http.MetricsServer;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.TopicCreator;
import dev.tierflow.schemas.Topics;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.policy.price.PricedModels;
import dev.tierflow.worker.otel.OtelSpanExport;
import dev.tierflow.worker.runtime.AttemptRunner;
import dev.tierflow.worker.runtime.CommittedSpans;
import dev.tierflow.worker.runtime.DecisionCheck;
import dev.tierflow.worker.runtime.TierWorker;
import dev.tierflow.worker.runtime.WorkerMetrics;
import dev.tierflow.worker.runtime.WorkerOptions;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker for one tier: its backend from the policy, its prices, its {@link TierWorker} thread and,
 * when enabled, its {@code /metrics} and {@code /health} endpoint (healthy while the loop runs).
 */
public final class WorkerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

    private final TierWorker worker;
    private final Thread thread;
    private final ModelBackend backend;
    /** The OpenTelemetry export of committed spans, or null when not enabled. */
    private final AutoCloseable otel;
    /** Null when the endpoint is off. */
    private final MetricsServer metricsServer;
    private final WorkerMetrics metrics;

    private WorkerApp(TierWorker worker, Thread thread, ModelBackend backend, AutoCloseable otel, MetricsServer metricsServer,
                      WorkerMetrics metrics) {
        this.worker = worker;
        this.thread = thread;
        this.backend = backend;
        this.otel = otel;
        this.metricsServer = metricsServer;
        this.metrics = metrics;
    }

    /**
     * Checks everything it can before consuming: the tier exists in the policy, every model the tier may
     * answer with has a price, the backend can be made; then creates its results topic if missing and starts.
     */
    public static WorkerApp start(WorkerSettings settings, Map<String, String> environment) {
        return start(settings, environment, tier -> WorkerBackends.create(tier, settings, environment));
    }

    /**
     * As {@link #start(WorkerSettings, Map)}, with the backend made by {@code backendFor} instead of from the
     * tier's {@code backend} section (a replay gives every tier a backend over one loaded file).
     */
    public static WorkerApp start(WorkerSettings settings, Map<String, String> environment, Function<Tier, ModelBackend> backendFor) {
        RoutingPolicy policy = PolicyLoader.load(settings.policyFile());
        Tier tier = policy.tier(settings.tier());
        if (tier == null) {
            throw new IllegalArgumentException("tier '" + settings.tier() + "' is not in the policy " + settings.policyFile()
                    + " (tiers are " + policy.tiers().stream().map(Tier::name).toList() + ")");
        }
        PriceCatalog prices = PriceCatalog.load(settings.pricesFile());
        PricedModels.requireForTier(prices, policy, tier);
        ModelBackend backend = backendFor.apply(tier);
        TopicCreator.ensure(settings.clientConfig(), List.of(
                new NewTopic(Topics.results(tier.name()).name(), Optional.of(settings.topicPartitions()), Optional.empty()),
                new NewTopic(Topics.routedTasks(tier.name()).name(), Optional.of(settings.topicPartitions()), Optional.empty()),
                new NewTopic(Topics.workerDeadLetters(tier.name()).name(), Optional.of(settings.topicPartitions()), Optional.empty())));
        AttemptRunner runner = new AttemptRunner(backend, prices, new OutputChecker(), Clock.systemUTC(), tier.equals(policy.topTier()));
        CommittedSpans export = otelWanted(settings, environment) ? OtelExport.configure(environment) : CommittedSpans.NONE;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        WorkerMetrics metrics = new WorkerMetrics(registry, tier.name());
        WorkerOptions options = new WorkerOptions(settings.loopSettings(), DecisionCheck.against(policy, tier.name(), prices), metrics,
                export);
        TierWorker worker;
        MetricsServer server = null;
        try {
            worker = new TierWorker(tier.name(), runner, AvroSerdes.fromConfig(settings.registryConfig()), settings.clientConfig(),
                    settings.groupId(), settings.transactionalId(), options);
            if (settings.metricsEnabled()) {
                TierWorker loop = worker;
                server = MetricsServer.start(settings.metricsBinding(), registry::scrape,
                        () -> loop.state() == TierWorker.State.RUNNING);
            }
        } catch (RuntimeException e) {
            if (export instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
            throw e;
        }
        Thread thread = new Thread(worker, "tierflow-worker-" + tier.name());
        // run() has logged why; the process (WorkerCommand) turns the dead loop into a non-zero exit
        thread.setUncaughtExceptionHandler((dead, e) -> { });
        thread.start();
        if (server != null) {
            LOG.info("Worker metrics at http://{}:{}/metrics, health at /health", server.host(), server.port());
        }
        LOG.info("Worker for tier {} ({} via {}) started: group {}, {} calls at once, prices {}, OpenTelemetry export {}", tier.name(),
                tier.model(), tier.backend().type(), settings.groupId(), settings.concurrency(), prices.version(),
                export == CommittedSpans.NONE ? "off" : "on");
        return new WorkerApp(worker, thread, backend, export instanceof AutoCloseable closeable ? closeable : null, server, metrics);
    }

    /**
     * Export is on when the environment configures an OTLP endpoint or a traces exporter, or the settings say
     * so; otherwise the OpenTelemetry SDK is not configured (nor its classes loaded).
     */
    static boolean otelWanted(WorkerSettings settings, Map<String, String> environment) {
        return settings.otelEnabled() || present(environment.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
                || present(environment.get("OTEL_TRACES_EXPORTER"));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Closing the OpenTelemetry export failed", e);
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** Kept apart so that the OpenTelemetry classes are only loaded when export is on. */
    private static final class OtelExport {
        static CommittedSpans configure(Map<String, String> environment) {
            OtelSpanExport export = OtelSpanExport.configure(environment);
            LOG.info("Exporting committed result spans with OpenTelemetry (OTLP endpoint {})",
                    environment.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "default"));
            return export;
        }
    }

    /** The models a tier's workers may be asked to call: its own, its fallback, and those of pins routed to it. */
    static List<String> modelsOf(RoutingPolicy policy, Tier tier) {
        return PricedModels.usedBy(policy, tier);
    }

    /** The model backend this worker calls: the demo and tests degrade and restore the simulator through it. */
    public ModelBackend backend() {
        return backend;
    }

    /** Whether the loop is running (what {@code /health} answers): false once it stopped or could not go on. */
    public boolean isRunning() {
        return thread.isAlive() && worker.state() != TierWorker.State.FAILED && worker.state() != TierWorker.State.STOPPED;
    }

    /** Why the loop could not go on, or null while it runs or after a clean stop. */
    public Throwable failure() {
        return worker.failure();
    }

    /** Blocks until the worker's loop has ended (stopped by {@link #close()} or dead). */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    /** Port of the metrics endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    /** Stops after the batch in progress and waits for the worker to leave its group. */
    @Override
    public void close() {
        worker.close();
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (otel != null) {
            closeQuietly(otel); // flushes the spans still queued for export
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        backend.close();
        LOG.info("Worker stopped");
    }
}
