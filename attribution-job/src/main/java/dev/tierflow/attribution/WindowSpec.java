package dev.tierflow.attribution;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The sliding windows' geometry and lateness. The join uses it to tell, before anything is fanned out,
 * whether a span can still count in any window: one that cannot goes to the late output whole, once,
 * instead of being dropped by the window operator.
 */
public record WindowSpec(Duration size, Duration slide, Duration allowedLateness) implements Serializable {

    public WindowSpec {
        if (size.isNegative() || size.isZero() || slide.isNegative() || slide.isZero()) {
            throw new IllegalArgumentException("window size and slide must be positive, were " + size + " and " + slide);
        }
        if (slide.compareTo(size) > 0) {
            throw new IllegalArgumentException("window slide " + slide + " must not exceed the window size " + size);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative, was " + allowedLateness);
        }
    }

    /**
     * True when every window an event at {@code eventTime} belongs to has been fired and is past its
     * allowed lateness at {@code watermark}: the same test Flink's window operator applies per window.
     */
    public boolean isTooLate(long eventTime, long watermark) {
        long lastWindowStart = TimeWindow.getWindowStartWithOffset(eventTime, 0, slide.toMillis());
        long lastWindowMaxTimestamp = lastWindowStart + size.toMillis() - 1;
        return lastWindowMaxTimestamp + allowedLateness.toMillis() <= watermark;
    }
}
