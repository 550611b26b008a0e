package dev.tierflow.alerting.app;

import dev.tierflow.alerting.AlertingJob;
import dev.tierflow.alerting.io.AlertingKafka;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.TopicCreator;
import dev.tierflow.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Wires the Kafka sources and sinks around {@link AlertingJob#defineWorkflow}. */
public final class AlertingPipeline {

    public static final String JOB_NAME = "tierflow-alerting";

    private AlertingPipeline() {
    }

    /** Creates the topics the job reads and writes when missing; {@code policy} compacted, as the router makes it. */
    public static void ensureTopics(AlertingSettings settings) {
        short replication = -1;
        List<NewTopic> topics = new ArrayList<>();
        for (String name : List.of(Topics.STATS.name(), Topics.ALERTS.name(), Topics.TASKS_DLQ.name(), Topics.ATTRIBUTION_DLQ.name())) {
            topics.add(new NewTopic(name, settings.topicPartitions(), replication));
        }
        topics.add(new NewTopic(Topics.POLICY.name(), 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        TopicCreator.ensure(settings.clientProperties(), topics);
    }

    /**
     * An environment with the whole job on it, from its settings: the policy file read (refused unless
     * both axes are armed), the topics created when missing, the parallelism set. What the job's command
     * and the local stack run.
     */
    public static StreamExecutionEnvironment environment(Configuration flink, AlertingSettings settings) throws IOException {
        String yaml = Files.readString(settings.policyFile(), StandardCharsets.UTF_8);
        AlertingJob.Parameters parameters = parameters(settings, yaml, PolicyLoader.parse(yaml, settings.policyFile().toString()));
        ensureTopics(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(settings.parallelism());
        attach(env, settings, parameters);
        return env;
    }

    /** Adds the whole job to {@code env}: checkpointing, sources, workflow, sinks. */
    public static void attach(StreamExecutionEnvironment env, AlertingSettings settings, AlertingJob.Parameters parameters) {
        env.enableCheckpointing(settings.checkpointInterval().toMillis());
        var stats = env.fromSource(AlertingKafka.statsSource(settings), AlertingKafka.statsWatermarks(settings), "stats-source")
                .uid("stats-source");
        var policy = env.fromSource(AlertingKafka.policySource(settings, parameters, PriceCatalog.load(settings.pricesFile())),
                        AlertingKafka.policyWatermarks(), "policy-source")
                .uid("policy-source");
        DataStream<String> deadLetters = parameters.rules().deadLetters() == null ? null
                : env.fromSource(AlertingKafka.deadLetterSource(settings),
                        org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "dead-letter-source").uid("dead-letter-source");
        AlertingJob.Outputs outputs = AlertingJob.defineWorkflow(stats, policy, deadLetters, parameters);
        outputs.alerts().sinkTo(AlertingKafka.alertSink(settings)).name("alerts-sink").uid("alerts-sink");
        outputs.policyChanges().sinkTo(AlertingKafka.policySink(settings)).name("policy-sink").uid("policy-sink");
    }

    /** The job's parameters from the policy file: it refuses a policy whose alerting is not armed. */
    public static AlertingJob.Parameters parameters(AlertingSettings settings, String policyYaml, RoutingPolicy policy) {
        return new AlertingJob.Parameters(policyYaml, settings.policyFile().toString(),
                policy.alerting().requireArmed(settings.policyFile().toString()), settings.actionsEnabled());
    }
}
