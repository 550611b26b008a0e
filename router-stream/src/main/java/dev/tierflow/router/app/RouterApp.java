package dev.tierflow.router.app;

import dev.tierflow.router.RouterMetrics;
import dev.tierflow.router.decision.LiveOverrideTable;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.router.stream.RouterTopology;
import dev.tierflow.config.http.HttpBinding;
import dev.tierflow.config.http.MetricsServer;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.TopicCreator;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running router: Kafka Streams on the router topology, its metrics endpoint, and the topics it needs. */
public final class RouterApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterApp.class);

    private final KafkaStreams streams;
    private final RouterMetrics metrics;
    private final MetricsServer metricsServer;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch running;

    private RouterApp(KafkaStreams streams, RouterMetrics metrics, MetricsServer metricsServer, KafkaStreamsMetrics streamsMetrics,
                      CountDownLatch running) {
        this.streams = streams;
        this.running = running;
        this.metrics = metrics;
        this.metricsServer = metricsServer;
        this.streamsMetrics = streamsMetrics;
    }

    public static RouterApp start(RouterSettings settings) {
        RoutingPolicy policy = PolicyLoader.load(settings.policyFile());
        PriceCatalog prices = PriceCatalog.load(settings.pricesFile());
        LOG.info("Loaded policy {} from {}: tiers {}; prices {} from {}", policy.version(), settings.policyFile(),
                policy.tiers().stream().map(t -> t.name() + "=" + t.model()).toList(), prices.version(), settings.pricesFile());
        if (settings.createTopics()) {
            TopicCreator.ensure(settings.streamsConfig(),
                    TopicProvisioner.topicsFor(policy, settings.topicPartitions(), settings.replicationFactor()));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        RouterMetrics metrics = new RouterMetrics(registry, policy);

        Properties streamsConfig = new Properties();
        streamsConfig.putAll(settings.streamsConfig());
        streamsConfig.put(RouterMetrics.CONFIG_KEY, metrics);
        Topology topology = RouterTopology.build(policy, prices, AvroSerdes.fromConfig(settings.registryConfig()), new LiveOverrideTable(), metrics);
        KafkaStreams streams = new KafkaStreams(topology, streamsConfig);
        // A thread that dies (e.g. the registry is down) is replaced, and picks up from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        MetricsServer server = !settings.metricsEnabled() ? null
                : MetricsServer.start(settings.metricsBinding(), registry::scrape, () -> streams.state().isRunningOrRebalancing());
        streams.start();
        if (server != null) {
            LOG.info("Router metrics at http://{}:{}/metrics", server.host(), server.port());
        }
        return new RouterApp(streams, metrics, server, streamsMetrics, running);
    }

    /** Waits until the router has joined its group and restored the policy overrides; false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** Port of the metrics endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    @Override
    public void close() {
        boolean stopped = streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (stopped) {
            LOG.info("Router stopped cleanly (state {})", streams.state());
        } else {
            LOG.warn("Router did not stop within 30 s (state {})", streams.state());
        }
    }
}
