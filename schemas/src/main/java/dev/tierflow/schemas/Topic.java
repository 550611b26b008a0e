package dev.tierflow.schemas;

import java.util.Objects;

/**
 * A Kafka topic together with the types of its keys and values. Immutable; every module gets its
 * topics from {@link Topics} so no module keeps its own copy of a name.
 */
public record Topic<K, V>(String name, Class<K> keyType, Class<V> valueType) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
