package dev.tierflow.router.stream;

import dev.tierflow.router.RouterMetrics;
import dev.tierflow.router.decision.LiveOverrideTable;
import dev.tierflow.policy.live.OverrideValidator;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.router.decision.TaskRouter;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The router's wiring: {@code tasks} → route → {@code tasks.<tier>}, with the {@code policy} topic as a
 * global store of live overrides. Pure: no I/O, no clocks; serdes and the shared override table are passed in.
 */
public final class RouterTopology {

    public static final String TASKS_SOURCE = "tasks-source";
    public static final String ROUTE_PROCESSOR = "route";
    public static final String TIER_SINK = "tier-topics-sink";
    public static final String POLICY_SOURCE = "policy-source";
    public static final String POLICY_PROCESSOR = "policy-overrides";
    public static final String POLICY_STORE = "policy-overrides-store";

    private RouterTopology() {
    }

    public static Topology build(RoutingPolicy policy, PriceCatalog prices, AvroSerdes serdes, LiveOverrideTable overrides, RouterMetrics metrics) {
        TaskRouter router = new TaskRouter(policy);
        Map<String, String> tierTopics = policy.tiers().stream()
                .collect(Collectors.toUnmodifiableMap(Tier::name, tier -> Topics.routedTasks(tier.name()).name()));
        TopicNameExtractor<String, RoutedTask> toTierTopic = (key, routed, context) -> tierTopics.get(routed.getTier());
        var stringSerde = AvroSerdes.keySerde();
        var ruleDeserializer = serdes.valueSerde(Topics.POLICY).deserializer();
        var overrideReader = new LiveOverrideReader(ruleDeserializer, new OverrideValidator(policy, prices), overrides, metrics);

        Topology topology = new Topology();
        topology.addSource(TASKS_SOURCE, stringSerde.deserializer(), new TaskDeserializer(serdes.deserializer(AgentTask.class)), Topics.TASKS.name());
        topology.addProcessor(ROUTE_PROCESSOR, () -> new RoutingProcessor(router, overrides, overrideReader, metrics), TASKS_SOURCE);
        // Routed tasks reuse the encoding of the task they carry when they can (PreEncodedTaskDatumProvider).
        topology.addSink(TIER_SINK, toTierTopic, stringSerde.serializer(),
                serdes.avro(RoutedTask.class, false, Map.of(AvroSerdes.DATUM_PROVIDER, PreEncodedTaskDatumProvider.class.getName())).serializer(),
                ROUTE_PROCESSOR);
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POLICY_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                POLICY_SOURCE, stringSerde.deserializer(), Serdes.ByteArray().deserializer(), Topics.POLICY.name(),
                POLICY_PROCESSOR,
                () -> new PolicyOverrideProcessor(POLICY_STORE, overrideReader, metrics));
        return topology;
    }
}
