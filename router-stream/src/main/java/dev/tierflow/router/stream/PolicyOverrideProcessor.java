package dev.tierflow.router.stream;

import dev.tierflow.router.RouterMetrics;
import dev.tierflow.router.decision.LiveOverride;
import dev.tierflow.router.decision.LiveOverrideTable;
import dev.tierflow.router.decision.LiveOverrides;
import dev.tierflow.router.decision.OverrideValidator;
import dev.tierflow.router.decision.Scope;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code policy} topic into the global store and keeps the {@link LiveOverrideTable}
 * in step with it. The store mirrors the topic (raw bytes), and the table holds the valid overrides
 * among them: the latest record of a scope is what counts, so an invalid one leaves the scope with no
 * override, the same before and after a restart. Invalid records are logged and counted, never applied.
 */
final class PolicyOverrideProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyOverrideProcessor.class);

    private final String storeName;
    private final Deserializer<PolicyRule> ruleDeserializer;
    private final OverrideValidator validator;
    private final LiveOverrideTable table;
    private final RouterMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    PolicyOverrideProcessor(String storeName, Deserializer<PolicyRule> ruleDeserializer, OverrideValidator validator,
                            LiveOverrideTable table, RouterMetrics metrics) {
        this.storeName = storeName;
        this.ruleDeserializer = ruleDeserializer;
        this.validator = validator;
        this.table = table;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        // The store may have been restored from the topic without passing through process(): rebuild from it.
        List<LiveOverride> valid = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                LiveOverride override = toOverride(entry.key, entry.value);
                if (override != null) {
                    valid.add(override);
                }
            }
        }
        table.replace(LiveOverrides.of(valid));
        metrics.activeOverrides(table.current().size());
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
            removeScope(key);
            metrics.overrideRemoved();
            LOG.info("Removed live override for {}", key);
        } else {
            store.put(key, record.value());
            LiveOverride override = toOverride(key, record.value());
            if (override == null) {
                removeScope(key);
            } else {
                table.update(current -> current.with(override));
                metrics.overrideApplied();
                LOG.info("Applied live override {}", override);
            }
        }
        metrics.activeOverrides(table.current().size());
    }

    private void removeScope(String key) {
        try {
            Scope scope = Scope.parse(key);
            table.update(current -> current.without(scope));
        } catch (IllegalArgumentException notAScope) {
            // nothing was ever applied under a key that is not a scope
        }
    }

    /** The override a stored record stands for, or null (logged and counted) when it cannot apply. */
    private LiveOverride toOverride(String key, byte[] value) {
        try {
            PolicyRule rule = ruleDeserializer.deserialize(Topics.POLICY.name(), value);
            return validator.validate(key, rule);
        } catch (RuntimeException e) {
            metrics.overrideRejected();
            LOG.warn("Rejected live override for '{}': {}", key, e.getMessage());
            return null;
        }
    }
}
