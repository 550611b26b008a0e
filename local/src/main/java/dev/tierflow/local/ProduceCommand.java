package dev.tierflow.local;

import dev.tierflow.local.tools.TaskLines;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.router.decision.TaskValidator;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tierflow produce FILE}: AgentTasks from JSONL onto {@code tasks}, as an agent would send them; all or none. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce AgentTask records from a JSONL file (- for stdin) to the tasks topic, after checking every line.")
final class ProduceCommand implements Callable<Integer> {

    /** Bounds on how long a send may wait for an unreachable broker or registry, so the command fails instead of hanging. */
    private static final String MAX_BLOCK_MS = "15000";
    private static final String REQUEST_TIMEOUT_MS = "10000";
    /** At least linger.ms + request.timeout.ms, or the producer refuses its configuration. */
    private static final String DELIVERY_TIMEOUT_MS = "30000";

    @Parameters(paramLabel = "FILE", description = "One AgentTask JSON object per line (schema field names, plain JSON values); - reads stdin.")
    String file;

    @Option(names = "--policy", description = "Also check tasks against this policy file (escalation tiers, maxAttempts), as the router does.")
    Path policyFile;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final InputStream in;
    private final Clock clock;

    ProduceCommand(PrintStream out, InputStream in, Clock clock) {
        this.out = out;
        this.in = in;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        TaskLines.Result parsed = TaskLines.parse(lines(), clock.instant(), validator());
        if (!parsed.ok()) {
            parsed.problems().forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getErr().println("nothing produced: " + parsed.problems().size() + " problem(s) in " + file);
            return 1;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, AgentTask> producer = producer()) {
            for (AgentTask task : parsed.tasks()) {
                sent.add(producer.send(new ProducerRecord<>(Topics.TASKS.name(), task.getTaskId(), task)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> result : sent) {
            result.get(); // a failed send throws here, after the flush: the command then fails rather than claiming success
        }
        out.println("produced " + sent.size() + " task(s) to '" + Topics.TASKS.name() + "'");
        return 0;
    }

    private List<String> lines() throws Exception {
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        }
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    }

    private Consumer<AgentTask> validator() {
        if (policyFile == null) {
            return TaskValidator::validateFields;
        }
        RoutingPolicy policy = PolicyLoader.load(policyFile);
        return task -> TaskValidator.validate(task, policy);
    }

    private KafkaProducer<String, AgentTask> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        Serializer<AgentTask> values = AvroSerdes.forRegistry(cluster.registryUrl).valueSerde(Topics.TASKS).serializer();
        return new KafkaProducer<>(config, AvroSerdes.keySerde().serializer(), values);
    }
}
