package dev.tierflow.local;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.router.app.RouterApp;
import dev.tierflow.router.app.RouterSettings;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tierflow up}: the embedded stack (broker, registry, router) for your own agents, until stopped. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a real KRaft broker, the real Apicurio Registry and the router on this machine.")
final class UpCommand implements Callable<Integer> {

    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--policy", defaultValue = "examples/policy.yaml", description = "Policy YAML (default: ${DEFAULT-VALUE}).")
    Path policyFile;

    @Option(names = "--prices", defaultValue = "examples/prices.yaml", description = "Price catalog YAML (default: ${DEFAULT-VALUE}).")
    Path pricesFile;

    @Option(names = "--sample", description = "Send a burst of sample tasks (good and bad) and print where each went.")
    boolean sample;

    @Mixin
    StackOptions stackOptions = new StackOptions();

    private final PrintStream out;

    UpCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        Path data = stackOptions.dataDirectory("tierflow-");
        try (StopSignal stop = new StopSignal("tierflow-stop");
             LocalStack stack = LocalStack.start(stackOptions.ports(), data);
             RouterApp router = RouterApp.start(RouterSettings.from(Pipeline.routerConfig(stack.bootstrapServers(), stack.registryUrl(),
                     policyFile, pricesFile, data, stackOptions.metricsPort, 3)));
             Workers workers = Workers.start(policy, stack, policyFile, pricesFile)) {
            if (!router.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("router did not reach RUNNING within 60 s: " + router.state());
            }
            out.println();
            out.println("TierFlow is up.");
            out.println("  Kafka bootstrap servers : " + stack.bootstrapServers());
            out.println("  Apicurio Registry       : " + stack.registryUrl() + "  (Confluent clients: " + stack.registryCcompatUrl() + ")");
            out.println("  Router metrics          : http://localhost:" + router.metricsPort() + "/metrics");
            out.println("  Workers (simulated)     : " + String.join(", ", workers.tiers()) + "; result spans on "
                    + policy.tiers().stream().map(t -> Topics.results(t.name()).name()).toList());
            out.println("  Produce AgentTask to '" + Topics.TASKS.name() + "'; routed tasks on "
                    + policy.tiers().stream().map(t -> Topics.routedTasks(t.name()).name()).toList() + ", bad input on '" + Topics.TASKS_DLQ.name() + "'.");
            out.println("  Data and logs in " + data);
            out.println();
            // Confluent clients look schemas up by subject: have them all there before the first record is sent
            SchemasCommand.printIds(out, stack.registryCcompatUrl(), SchemasCommand.register(stack.registryUrl(), policy, REGISTRY_TIMEOUT));
            if (sample) {
                sendSampleAndReport(stack, policy);
            }
            out.println(stackOptions.duration == null ? "Ctrl-C to stop." : "Stopping after " + stackOptions.duration + ".");
            stop.await(stackOptions.duration);
        }
        out.println("Stopped.");
        return 0;
    }

    private void sendSampleAndReport(LocalStack stack, RoutingPolicy policy) throws Exception {
        AvroSerdes serdes = AvroSerdes.forRegistry(stack.registryUrl());
        List<SampleTasks.Sample> samples = SampleTasks.run("sample-" + Instant.now().getEpochSecond(), Instant.now());
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, AgentTask> tasks = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.valueSerde(Topics.TASKS).serializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            for (SampleTasks.Sample sample : samples) {
                if (sample.task() != null) {
                    tasks.send(new ProducerRecord<>(Topics.TASKS.name(), sample.id(), sample.task()));
                } else {
                    raw.send(new ProducerRecord<>(Topics.TASKS.name(), sample.id(), sample.raw()));
                }
            }
        }
        Set<String> ids = new LinkedHashSet<>(samples.stream().map(SampleTasks.Sample::id).toList());
        List<String> tiers = policy.tiers().stream().map(Tier::name).toList();
        Map<String, String> outcome = RoutingReport.await(stack.bootstrapServers(), serdes, tiers, ids, Duration.ofSeconds(60));
        out.println();
        out.println("Sample run: where each task went");
        for (SampleTasks.Sample sample : samples) {
            out.printf("  %-42s -> %s%n", sample.description(), outcome.getOrDefault(sample.id(), "(not seen yet)"));
        }
        Set<String> routedIds = new LinkedHashSet<>(ids);
        routedIds.removeIf(id -> outcome.getOrDefault(id, "DLQ").startsWith("DLQ"));
        out.println();
        out.println("What the workers did (one span per attempt)");
        SpanReport.await(stack.bootstrapServers(), serdes, tiers, routedIds, Duration.ofSeconds(60)).forEach(line -> out.println("  " + line));
        out.println();
    }
}
