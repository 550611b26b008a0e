package dev.tierflow.router.app;

import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** The topics the router reads and writes, as it creates them when they do not exist yet. */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    public static List<NewTopic> topicsFor(RoutingPolicy policy, int partitions, Optional<Short> replication) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.TASKS.name(), Optional.of(partitions), replication));
        topics.add(new NewTopic(Topics.TASKS_DLQ.name(), Optional.of(partitions), replication));
        for (Tier tier : policy.tiers()) {
            topics.add(new NewTopic(Topics.routedTasks(tier.name()).name(), Optional.of(partitions), replication));
            // where the tier's workers dead-letter what they will not execute
            topics.add(new NewTopic(Topics.workerDeadLetters(tier.name()).name(), Optional.of(partitions), replication));
        }
        // Overrides are state, not events: keep the latest per scope forever.
        topics.add(new NewTopic(Topics.POLICY.name(), Optional.of(1), replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return topics;
    }
}
