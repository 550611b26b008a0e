package dev.tierflow.local;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Settings of the consumers the reports use: committed records only, from the start, in a throwaway group. */
public final class ReportConsumers {

    private ReportConsumers() {
    }

    public static Properties readCommittedFromStart(String bootstrapServers, String groupPrefix) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + System.nanoTime());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }
}
