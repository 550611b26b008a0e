package dev.tierflow.attribution.validate;

import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How far from the wall clock, when the job reads it, a record's event time may be. A record beyond
 * either bound is dead-lettered ({@code EVENT_TIME_OUT_OF_BOUNDS}) before it reaches the watermarks: one
 * span stamped next year would otherwise push every partition's watermark a year ahead (every later
 * span late), and one stamped 1970 would sit in the join's state and hold nothing but memory.
 * A zero bound is no bound (a backfill of old topics turns {@code maxPast} off).
 *
 * <p>The clock is injected (and serializable, like the JDK's clocks), so tests fix it.
 */
public final class EventTimeBounds implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long maxPastMillis;
    private final long maxFutureMillis;
    private final Clock clock;

    public EventTimeBounds(Duration maxPast, Duration maxFuture, Clock clock) {
        if (maxPast.isNegative() || maxFuture.isNegative()) {
            throw new IllegalArgumentException("event-time bounds must not be negative, were " + maxPast + " and " + maxFuture);
        }
        this.maxPastMillis = maxPast.toMillis();
        this.maxFutureMillis = maxFuture.toMillis();
        this.clock = clock;
    }

    /** No bounds at all. */
    public static EventTimeBounds none() {
        return new EventTimeBounds(Duration.ZERO, Duration.ZERO, Clock.systemUTC());
    }

    /** Why {@code eventTimeMillis} is out of bounds now, or null when it is within them. */
    public String problem(String what, long eventTimeMillis) {
        if (maxPastMillis == 0 && maxFutureMillis == 0) {
            return null;
        }
        long now = clock.millis();
        // subtractExact would throw for the extreme instants a crafted record may carry
        if (maxFutureMillis > 0 && eventTimeMillis > now && eventTimeMillis - now > maxFutureMillis) {
            return what + " " + Instant.ofEpochMilli(eventTimeMillis) + " is more than " + Duration.ofMillis(maxFutureMillis)
                    + " ahead of the wall clock (" + Instant.ofEpochMilli(now) + ")";
        }
        if (maxPastMillis > 0 && eventTimeMillis < now && (eventTimeMillis < now - maxPastMillis)) {
            return what + " " + Instant.ofEpochMilli(eventTimeMillis) + " is more than " + Duration.ofMillis(maxPastMillis)
                    + " behind the wall clock (" + Instant.ofEpochMilli(now) + ")";
        }
        return null;
    }

    @Override
    public String toString() {
        return "EventTimeBounds[past " + Duration.ofMillis(maxPastMillis) + ", future " + Duration.ofMillis(maxFutureMillis) + ", " + clock + "]";
    }
}
