package dev.tierflow.worker.check;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A thread-safe least-recently-used cache of at most {@code capacity} entries. Contracts repeat across
 * thousands of tasks, so compiling each distinct one once pays; the bound keeps a stream of distinct
 * contracts from growing the heap without limit.
 */
final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The cached value for {@code key}, computing it on a miss. The computation runs outside the lock
     * (compiling a schema takes a while and must not stall other threads); two threads missing the same
     * key at once may both compute it, which is harmless because the value depends only on the key.
     */
    V get(K key, Function<? super K, ? extends V> compute) {
        synchronized (entries) {
            V cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        V computed = compute.apply(key);
        synchronized (entries) {
            V raced = entries.putIfAbsent(key, computed);
            return raced != null ? raced : computed;
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
