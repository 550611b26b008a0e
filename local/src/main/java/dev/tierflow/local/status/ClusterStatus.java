package dev.tierflow.local.status;

import dev.tierflow.schemas.Topic;
import dev.tierflow.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker says about a TierFlow stack: the cluster, every TierFlow topic (the fixed ones, whether
 * or not they exist, and every tier topic that does) with its end offsets, and each consumer group's lag.
 */
public record ClusterStatus(String clusterId, int brokers, List<TopicRow> topics, List<GroupRow> groups) {

    /** A topic; {@code partitions} and {@code endOffsets} are null when it does not exist. */
    public record TopicRow(String name, Integer partitions, Long endOffsets) {

        public boolean exists() {
            return partitions != null;
        }
    }

    /** A consumer group and how many records of its committed partitions it has yet to read. */
    public record GroupRow(String groupId, String state, int partitions, long lag) {
    }

    /** Asks the broker; each request waits at most {@code timeout}. */
    public static ClusterStatus read(Admin admin, Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        String clusterId = get(admin.describeCluster().clusterId(), timeout);
        int brokers = get(admin.describeCluster().nodes(), timeout).size();
        Set<String> existing = get(admin.listTopics().names(), timeout);
        Set<String> names = new TreeSet<>(Topics.fixed().stream().map(Topic::name).toList());
        existing.stream().filter(Topics::isTierTopic).forEach(names::add);
        List<String> present = names.stream().filter(existing::contains).toList();
        Map<String, TopicDescription> descriptions = get(admin.describeTopics(present).allTopicNames(), timeout);
        List<TopicPartition> partitions = descriptions.values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
        Map<TopicPartition, Long> ends = endOffsets(admin, partitions, timeout);
        List<TopicRow> topics = new ArrayList<>();
        for (String name : names) {
            TopicDescription description = descriptions.get(name);
            topics.add(description == null ? new TopicRow(name, null, null) : new TopicRow(name, description.partitions().size(),
                    ends.entrySet().stream().filter(e -> e.getKey().topic().equals(name)).mapToLong(Map.Entry::getValue).sum()));
        }
        return new ClusterStatus(clusterId, brokers, topics, groups(admin, timeout));
    }

    private static List<GroupRow> groups(Admin admin, Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        Collection<GroupListing> listings = get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all(), timeout);
        List<GroupRow> rows = new ArrayList<>();
        for (GroupListing group : listings.stream().sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList()) {
            Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata(), timeout);
            committed.values().removeIf(offset -> offset == null);
            Map<TopicPartition, Long> ends = endOffsets(admin, committed.keySet(), timeout);
            long lag = committed.entrySet().stream().mapToLong(e -> Math.max(0, ends.getOrDefault(e.getKey(), 0L) - e.getValue().offset())).sum();
            rows.add(new GroupRow(group.groupId(), group.groupState().map(Object::toString).orElse("?"), committed.size(), lag));
        }
        return rows;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicPartition> partitions, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = get(admin.listOffsets(latest).all(), timeout);
        Map<TopicPartition, Long> ends = new HashMap<>();
        result.forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
