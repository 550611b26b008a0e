package dev.tierflow.router.stream;

import dev.tierflow.router.RouterMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code policy} topic into the global store and has the {@link LiveOverrideReader}
 * keep the live overrides in step with it. The store mirrors the topic (raw bytes, whatever they say:
 * also the records that wait for an unreachable registry), so a restart rebuilds the same overrides.
 */
final class PolicyOverrideProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyOverrideProcessor.class);

    private final String storeName;
    private final LiveOverrideReader reader;
    private final RouterMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    PolicyOverrideProcessor(String storeName, LiveOverrideReader reader, RouterMetrics metrics) {
        this.storeName = storeName;
        this.reader = reader;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        // The store may have been restored from the topic without passing through process(): rebuild from it.
        Map<String, byte[]> stored = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                stored.put(entry.key, entry.value);
            }
        }
        reader.rebuild(stored);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            metrics.overrideRejected();
            LOG.warn("Rejected a policy record without a key: the key must be its scope");
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            reader.remove(key);
        } else {
            store.put(key, record.value());
            reader.put(key, record.value());
        }
    }
}
