package dev.tierflow.alerting.io;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.live.LiveOverride;
import dev.tierflow.policy.live.OverrideValidator;
import dev.tierflow.policy.live.Scope;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RegistryFailures;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code policy} topic: a rule per scope, or a tombstone (null value) removing it.
 * Every rule goes through the router's own validation ({@link OverrideValidator}), so the job reasons only
 * from rules the router applies: a record the router rejects leaves the scope without an override for
 * the router, and so it does here (it comes out as a removal). A record that cannot be read because the
 * registry is unreachable fails the source, so Flink restarts it from its checkpoint and reads the record
 * again; it is never skipped nor taken for a removal.
 */
public class PolicyChangeDeserializer implements KafkaRecordDeserializationSchema<PolicyChange> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChangeDeserializer.class);

    private final Map<String, String> registryConfig;
    private final String policyYaml;
    private final String policySource;
    private final PriceCatalog prices;
    private transient AvroKafkaDeserializer<PolicyRule> avro;
    private transient OverrideValidator validator;

    /**
     * @param policyYaml the policy file the router runs with (as text, so the job ships it to its task managers)
     * @param prices the price catalog the router runs with
     */
    public PolicyChangeDeserializer(Map<String, String> registryConfig, String policyYaml, String policySource, PriceCatalog prices) {
        this.registryConfig = Map.copyOf(registryConfig);
        this.policyYaml = policyYaml;
        this.policySource = policySource;
        this.prices = prices;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        avro = createDeserializer();
        validator = new OverrideValidator(PolicyLoader.parse(policyYaml, policySource), prices);
    }

    /** The registry deserializer of policy rules; tests give one over an in-memory registry. */
    protected AvroKafkaDeserializer<PolicyRule> createDeserializer() {
        return AvroSerdes.fromConfig(registryConfig).deserializer(PolicyRule.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<PolicyChange> out) throws IOException {
        if (record.key() == null) {
            LOG.warn("Policy record without a scope key at {}-{}@{} ignored, as the router ignores it", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            out.collect(PolicyChange.remove(canonical(key)));
            return;
        }
        PolicyRule rule;
        try {
            rule = avro.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                throw new IOException("schema registry unreachable reading the policy record for '" + key + "' at " + record.topic() + "-"
                        + record.partition() + "@" + record.offset() + "; failing so the source is restarted and reads it again", e);
            }
            rejected(record, key, "unreadable: " + e, out);
            return;
        }
        if (rule == null) {
            rejected(record, key, "decoder returned no rule", out);
            return;
        }
        LiveOverride override;
        try {
            override = validator.validate(key, rule);
        } catch (IllegalArgumentException e) {
            rejected(record, key, e.getMessage(), out);
            return;
        }
        PolicyChange change = PolicyChange.set(rule);
        // the scope as the router keys it: key and rule scope may name its parts in another order
        change.scope = override.scope().toString();
        out.collect(change);
    }

    /** The router holds no override for a scope whose latest record it rejects: neither does the job. */
    private static void rejected(ConsumerRecord<byte[], byte[]> record, String key, String why, Collector<PolicyChange> out) {
        LOG.warn("Policy record for '{}' at {}-{}@{} rejected, as the router rejects it; the scope has no override: {}", key, record.topic(),
                record.partition(), record.offset(), why);
        out.collect(PolicyChange.remove(canonical(key)));
    }

    /** The scope whose own key this is; any other key as it is (nothing was ever applied under it). */
    private static String canonical(String key) {
        Scope scope = Scope.ofKey(key);
        return scope == null ? key : scope.toString();
    }

    @Override
    public TypeInformation<PolicyChange> getProducedType() {
        return TypeInformation.of(PolicyChange.class);
    }
}
