package dev.tierflow.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.testing.TestInstants;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Windows 60 s long every 20 s, late data allowed for 30 s. {@link TestInstants#BEGINNING} is
 * minute-aligned; times below are milliseconds after it.
 */
class WindowSpecTest {

    private static final WindowSpec WINDOWS = new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(30));
    private static final long T0 = TestInstants.BEGINNING.toEpochMilli();

    @Test
    void anEventIsTooLateExactlyWhenItsLastWindowIsPastItsAllowedLateness() {
        // +5 s: the last window is [0 s, 60 s), last timestamp 59.999 s, late data until 59.999 + 30 = 89.999 s
        long event = T0 + 5_000;
        assertThat(WINDOWS.isTooLate(event, T0 + 89_998)).isFalse();
        assertThat(WINDOWS.isTooLate(event, T0 + 89_999)).isTrue();
    }

    @Test
    void anEventOnASlideBoundaryBelongsToTheWindowStartingThere() {
        // +20 s starts the window [20 s, 80 s): late data until 79.999 + 30 = 109.999 s
        long event = T0 + 20_000;
        assertThat(WINDOWS.isTooLate(event, T0 + 109_998)).isFalse();
        assertThat(WINDOWS.isTooLate(event, T0 + 109_999)).isTrue();
    }

    @Test
    void anEventJustBeforeASlideBoundaryIsInTheEarlierWindowsOnly() {
        // +19.999 s: the last window is [0 s, 60 s), as for +5 s
        long event = T0 + 19_999;
        assertThat(WINDOWS.isTooLate(event, T0 + 89_998)).isFalse();
        assertThat(WINDOWS.isTooLate(event, T0 + 89_999)).isTrue();
    }

    @Test
    void withNoAllowedLatenessAnEventIsTooLateOnceItsLastWindowHasFired() {
        WindowSpec strict = new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ZERO);
        long event = T0 + 5_000;
        assertThat(strict.isTooLate(event, T0 + 59_998)).isFalse();
        assertThat(strict.isTooLate(event, T0 + 59_999)).isTrue();
    }

    @Test
    void anEventAheadOfTheWatermarkIsNeverTooLate() {
        assertThat(WINDOWS.isTooLate(T0 + 5_000, T0)).isFalse();
        assertThat(WINDOWS.isTooLate(T0 + 5_000, Long.MIN_VALUE)).isFalse();
    }

    @Test
    void nonsensicalGeometryIsRefused() {
        assertThatThrownBy(() -> new WindowSpec(Duration.ZERO, Duration.ofSeconds(20), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(61), Duration.ZERO))
                .hasMessageContaining("must not exceed the window size");
        assertThatThrownBy(() -> new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(-1)))
                .hasMessageContaining("allowed lateness");
    }
}
