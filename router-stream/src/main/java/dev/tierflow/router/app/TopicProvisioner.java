package dev.tierflow.router.app;

import dev.tierflow.router.policy.RoutingPolicy;
import dev.tierflow.router.policy.Tier;
import dev.tierflow.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics the router reads and writes when they do not exist yet; existing topics are left alone. */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    public static List<NewTopic> topicsFor(RoutingPolicy policy, int partitions, Optional<Short> replication) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.TASKS.name(), Optional.of(partitions), replication));
        topics.add(new NewTopic(Topics.TASKS_DLQ.name(), Optional.of(partitions), replication));
        for (Tier tier : policy.tiers()) {
            topics.add(new NewTopic(Topics.routedTasks(tier.name()).name(), Optional.of(partitions), replication));
        }
        // Overrides are state, not events: keep the latest per scope forever.
        topics.add(new NewTopic(Topics.POLICY.name(), Optional.of(1), replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return topics;
    }

    public static void ensure(Properties clientConfig, List<NewTopic> topics) {
        try (Admin admin = Admin.create(clientConfig)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
