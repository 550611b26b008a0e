package dev.tierflow.schemas;

import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Makes the serdes for TierFlow's topics: String keys, Avro values through Apicurio Registry in the
 * Confluent-compatible wire format (magic byte 0 + 4-byte content id), so Confluent clients in any
 * language can produce tasks through the registry's ccompat API.
 */
public final class AvroSerdes {

    public static final String REGISTRY_URL = "apicurio.registry.url";
    static final String AUTO_REGISTER = "apicurio.registry.auto-register";
    static final String SPECIFIC_READER = "apicurio.registry.use-specific-avro-reader";
    static final String DEREFERENCE = "apicurio.registry.dereference-schema";
    /** The class that makes Avro datum readers and writers for the serdes. */
    public static final String DATUM_PROVIDER = "apicurio.registry.avro-datum-provider";

    private final Map<String, Object> config;
    private final RegistryClientFacade client;

    private AvroSerdes(Map<String, ?> config, RegistryClientFacade client) {
        Map<String, Object> merged = new HashMap<>();
        // Without auto-register the first send of a new schema fails; without the specific reader we get GenericRecord.
        merged.put(AUTO_REGISTER, true);
        merged.put(SPECIFIC_READER, true);
        // Register each record as one self-contained schema (nested types inline, no references), the
        // form Confluent clients in other languages read through the ccompat API without extra lookups.
        merged.put(DEREFERENCE, true);
        merged.put(DATUM_PROVIDER, SchemaKeyedDatumProvider.class.getName());
        merged.putAll(config);
        this.config = Map.copyOf(merged);
        this.client = client;
    }

    /** Serdes talking to the registry at {@code url} (its {@code /apis/registry/v3} endpoint). */
    public static AvroSerdes forRegistry(String url) {
        return fromConfig(Map.of(REGISTRY_URL, url));
    }

    /** Serdes from {@code apicurio.registry.*} properties (URL, auth, TLS), passed through untouched. */
    public static AvroSerdes fromConfig(Map<String, ?> registryConfig) {
        if (registryConfig.get(REGISTRY_URL) == null) {
            throw new IllegalArgumentException(REGISTRY_URL + " is required to reach the schema registry");
        }
        return new AvroSerdes(registryConfig, null);
    }

    /** Serdes over a given registry client; for unit tests with an in-memory registry. */
    public static AvroSerdes withClient(RegistryClientFacade client) {
        return new AvroSerdes(Map.of(), Objects.requireNonNull(client, "client"));
    }

    /** The serde of a topic's values. */
    public <V extends SpecificRecord> Serde<V> valueSerde(Topic<?, V> topic) {
        return avro(topic.valueType(), false);
    }

    /** A serde of one Avro record type. */
    public <T extends SpecificRecord> Serde<T> avro(Class<T> type, boolean isKey) {
        return avro(type, isKey, Map.of());
    }

    /** A serde of one Avro record type, with some registry serde settings of its own. */
    public <T extends SpecificRecord> Serde<T> avro(Class<T> type, boolean isKey, Map<String, ?> overrides) {
        Map<String, Object> serdeConfig = new HashMap<>(config);
        serdeConfig.putAll(overrides);
        AvroKafkaSerializer<T> serializer = client == null ? new AvroKafkaSerializer<>() : new AvroKafkaSerializer<>(client);
        serializer.configure(serdeConfig, isKey);
        return Serdes.serdeFrom(serializer, deserializer(type, isKey, serdeConfig));
    }

    /** The registry deserializer of a value type, as such: it also resolves schema ids to schemas. */
    public <T extends SpecificRecord> AvroKafkaDeserializer<T> deserializer(Class<T> type) {
        return deserializer(type, false, config);
    }

    private <T extends SpecificRecord> AvroKafkaDeserializer<T> deserializer(Class<T> type, boolean isKey, Map<String, ?> serdeConfig) {
        AvroKafkaDeserializer<T> deserializer = client == null ? new AvroKafkaDeserializer<>() : new AvroKafkaDeserializer<>(client);
        deserializer.configure(serdeConfig, isKey);
        return deserializer;
    }

    /** The serde of the keys of TierFlow's keyed topics (task id, scope, alert id). */
    public static Serde<String> keySerde() {
        return Serdes.String();
    }

    /** The registry properties these serdes use (for clients configured by class name). */
    public Map<String, Object> config() {
        return config;
    }
}
