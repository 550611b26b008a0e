package dev.tierflow.worker.backend.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC);

    @Test
    void secondsAndMilliseconds() {
        assertThat(RetryAfter.parse(null, "30", CLOCK)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse(null, " 0 ", CLOCK)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse(null, "1.5", CLOCK)).contains(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("250", "30", CLOCK)).contains(Duration.ofMillis(250));
        assertThat(RetryAfter.parse("soon", "30", CLOCK)).contains(Duration.ofSeconds(30));
    }

    @Test
    void anHttpDateIsTheTimeUntilThen() {
        assertThat(RetryAfter.parse(null, "Wed, 21 Oct 2026 07:28:45 GMT", CLOCK)).contains(Duration.ofSeconds(45));
        assertThat(RetryAfter.parse(null, "Wed, 21 Oct 2026 07:00:00 GMT", CLOCK)).contains(Duration.ZERO);
    }

    @Test
    void anythingElseMeansTheProviderDidNotSay() {
        assertThat(RetryAfter.parse(null, null, CLOCK)).isEmpty();
        assertThat(RetryAfter.parse(null, "", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse(null, "-5", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse(null, "NaN", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse(null, "tomorrow", CLOCK)).isEmpty();
    }
}
