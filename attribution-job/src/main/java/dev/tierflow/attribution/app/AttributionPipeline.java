package dev.tierflow.attribution.app;

import dev.tierflow.attribution.AttributionJob;
import dev.tierflow.attribution.FrontierPricing;
import dev.tierflow.attribution.io.AttributionKafka;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.otlp.OtlpSpanDecoder;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.StuckTask;
import dev.tierflow.schemas.TopicCreator;
import dev.tierflow.schemas.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;

/** Wires the Kafka source and sinks around {@link AttributionJob#defineWorkflow} on an environment. */
public final class AttributionPipeline {

    public static final String JOB_NAME = "tierflow-attribution";
    public static final String SOURCE_UID = "kafka-source";

    private AttributionPipeline() {
    }

    /** Creates the topics the job reads and writes when they are missing; existing ones are left as they are. */
    public static void ensureTopics(AttributionSettings settings, RoutingPolicy policy) {
        List<NewTopic> topics = new ArrayList<>();
        short replication = -1; // the broker's default
        for (Tier tier : policy.tiers()) {
            topics.add(new NewTopic(Topics.routedTasks(tier.name()).name(), settings.topicPartitions(), replication));
            topics.add(new NewTopic(Topics.results(tier.name()).name(), settings.topicPartitions(), replication));
        }
        for (String output : List.of(Topics.STATS.name(), Topics.STUCK.name(), Topics.UNMATCHED.name(), Topics.LATE.name(),
                Topics.ATTRIBUTION_DLQ.name())) {
            topics.add(new NewTopic(output, settings.topicPartitions(), replication));
        }
        if (settings.otlpEnabled()) {
            topics.add(new NewTopic(Topics.OTLP_SPANS.name(), settings.topicPartitions(), replication));
        }
        TopicCreator.ensure(settings.clientProperties(), topics);
    }

    /**
     * An environment with the whole job on it, from its settings: the policy and price files read, the
     * topics created when missing, the parallelism set. What the job's command and the local stack run.
     */
    public static StreamExecutionEnvironment environment(Configuration flink, AttributionSettings settings) {
        RoutingPolicy policy = PolicyLoader.load(settings.policyFile());
        PriceCatalog prices = PriceCatalog.load(settings.pricesFile());
        ensureTopics(settings, policy);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(settings.parallelism());
        attach(env, settings, policy, prices);
        return env;
    }

    /** Adds the whole job to {@code env}: checkpointing, source, workflow, sinks. */
    public static void attach(StreamExecutionEnvironment env, AttributionSettings settings, RoutingPolicy policy, PriceCatalog prices) {
        attach(env, settings, policy, prices, Clock.systemUTC());
    }

    /** As {@link #attach(StreamExecutionEnvironment, AttributionSettings, RoutingPolicy, PriceCatalog)}, with the event-time bounds measured against {@code clock}. */
    public static void attach(StreamExecutionEnvironment env, AttributionSettings settings, RoutingPolicy policy, PriceCatalog prices,
                              Clock clock) {
        configure(env, settings);
        DataStream<JoinInput> input = readInput(env, settings, policy, prices, clock);
        writeOutputs(AttributionJob.defineWorkflow(input, parameters(settings, policy, prices)), settings);
    }

    /** Checkpointing, and no defensive copies between chained operators (no function changes its input; the join copies what it keeps). */
    public static void configure(StreamExecutionEnvironment env, AttributionSettings settings) {
        env.enableCheckpointing(settings.checkpointInterval().toMillis());
        env.getConfig().enableObjectReuse();
    }

    /** The one Kafka source over every input topic, with per-partition event-time watermarks. */
    public static DataStream<JoinInput> readInput(StreamExecutionEnvironment env, AttributionSettings settings, RoutingPolicy policy,
                                                  PriceCatalog prices) {
        return readInput(env, settings, policy, prices, Clock.systemUTC());
    }

    /** The source, with the event-time bounds measured against {@code clock} (serializable: it travels with the source). */
    public static DataStream<JoinInput> readInput(StreamExecutionEnvironment env, AttributionSettings settings, RoutingPolicy policy,
                                                  PriceCatalog prices, Clock clock) {
        List<String> tiers = policy.tiers().stream().map(Tier::name).toList();
        return env.fromSource(AttributionKafka.source(settings, tiers, new OtlpSpanDecoder(prices), settings.eventTimeBounds(clock)),
                        AttributionKafka.watermarks(settings), SOURCE_UID)
                .uid(SOURCE_UID);
    }

    public static AttributionJob.Parameters parameters(AttributionSettings settings, RoutingPolicy policy, PriceCatalog prices) {
        return new AttributionJob.Parameters(settings.windows(), settings.joinBound(), settings.stuckAfter(), FrontierPricing.of(policy, prices));
    }

    /** Each output to its topic, exactly once. */
    public static void writeOutputs(AttributionJob.Outputs outputs, AttributionSettings settings) {
        outputs.stats().sinkTo(AttributionKafka.avroSink(settings, Topics.STATS, CostQualityStats::getScope))
                .name("stats-sink").uid("stats-sink");
        outputs.stuck().sinkTo(AttributionKafka.avroSink(settings, Topics.STUCK, StuckTask::getTaskId))
                .name("stuck-sink").uid("stuck-sink");
        outputs.unmatched().sinkTo(AttributionKafka.avroSink(settings, Topics.UNMATCHED, ResultSpan::getSpanId))
                .name("unmatched-sink").uid("unmatched-sink");
        outputs.late().sinkTo(AttributionKafka.avroSink(settings, Topics.LATE, ResultSpan::getSpanId))
                .name("late-sink").uid("late-sink");
        outputs.deadLetters().sinkTo(AttributionKafka.deadLetterSink(settings))
                .name("dead-letter-sink").uid("dead-letter-sink");
    }
}
