package dev.tierflow.worker.backend.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a provider asks us to wait: {@code retry-after-ms} (milliseconds, sent by OpenAI) first, then
 * {@code retry-after}, in seconds or as an HTTP date (RFC 9110). A date in the past means now; anything unreadable
 * means the provider did not say.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    static Optional<Duration> parse(String retryAfterMs, String retryAfter, Clock clock) {
        Optional<Duration> millis = number(retryAfterMs, 1_000_000L);
        if (millis.isPresent()) {
            return millis;
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        Optional<Duration> seconds = number(retryAfter, 1_000_000_000L);
        if (seconds.isPresent()) {
            return seconds;
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> number(String value, long nanosPerUnit) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            double units = Double.parseDouble(value.trim());
            if (!(units >= 0) || Double.isInfinite(units) || units > 365L * 24 * 3600 * 1000) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(Math.round(units * nanosPerUnit)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
