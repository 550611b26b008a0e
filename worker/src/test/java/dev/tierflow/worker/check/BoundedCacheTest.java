package dev.tierflow.worker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    private final List<String> computed = new ArrayList<>();
    private final Function<String, String> upperCase = key -> {
        computed.add(key);
        return key.toUpperCase();
    };

    @Test
    void aCachedKeyIsNotComputedAgain() {
        BoundedCache<String, String> cache = new BoundedCache<>(10);

        assertThat(cache.get("a", upperCase)).isEqualTo("A");
        assertThat(cache.get("a", upperCase)).isEqualTo("A");

        assertThat(computed).containsExactly("a");
    }

    @Test
    void theLeastRecentlyUsedKeyIsEvictedFirst() {
        BoundedCache<String, String> cache = new BoundedCache<>(2);
        cache.get("a", upperCase);
        cache.get("b", upperCase);
        cache.get("a", upperCase); // a is now more recent than b

        cache.get("c", upperCase); // evicts b
        cache.get("a", upperCase);
        cache.get("b", upperCase);

        assertThat(computed).containsExactly("a", "b", "c", "b");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new BoundedCache<String, String>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be at least 1, was 0");
    }
}
