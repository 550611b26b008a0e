package dev.tierflow.testing;

import java.time.Instant;

/** Named instants, so tests read as a story and never depend on the clock. */
public final class TestInstants {

    public static final Instant BEGINNING = Instant.parse("2026-01-05T09:00:00Z");
    public static final Instant ONE_MINUTE_LATER = BEGINNING.plusSeconds(60);
    public static final Instant FIVE_MINUTES_LATER = BEGINNING.plusSeconds(300);
    public static final Instant ONE_HOUR_LATER = BEGINNING.plusSeconds(3600);

    private TestInstants() {
    }
}
