package dev.tierflow.alerting.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts JSON bodies to one webhook URL, retrying what may pass later: 429, 5xx and connection errors or
 * timeouts. The wait before attempt n+1 is {@code initialBackoff × 2^(n-1)}, or the server's
 * {@code Retry-After} when it sends one, both capped at {@code maxBackoff}. Other answers (400, 403,
 * 404...) will not change on a retry: the post gives up at once.
 */
public final class WebhookPoster {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookPoster.class);

    /** How a wait between attempts is spent; the forwarder's ends early when it is closed. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What became of one post. */
    public record Outcome(boolean delivered, int attempts, String detail) {
    }

    private final HttpClient http;
    private final URI url;
    private final String redactedUrl;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final Sleeper sleeper;
    private final Clock clock;

    public WebhookPoster(WebhookSettings settings, Sleeper sleeper, Clock clock) {
        // HTTP/1.1: a one-line POST gains nothing from HTTP/2, and an h2c upgrade on plain http:// is not
        // something every proxy or webhook endpoint handles
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.url = settings.url();
        this.redactedUrl = settings.redactedUrl();
        this.maxAttempts = settings.maxAttempts();
        this.initialBackoff = settings.initialBackoff();
        this.maxBackoff = settings.maxBackoff();
        this.requestTimeout = settings.requestTimeout();
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * Posts the body until it is accepted (2xx), a non-retryable answer comes, or the attempts run out.
     *
     * @throws InterruptedException when a wait or a request is interrupted (the forwarder is closing)
     */
    public Outcome post(String json) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        String detail = "not attempted";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return new Outcome(true, attempt, "HTTP " + status);
                }
                detail = "HTTP " + status + bodyExcerpt(response.body());
                if (!retryable(status)) {
                    return new Outcome(false, attempt, detail + " (not retried)");
                }
                retryAfter = response.headers().firstValue("Retry-After").flatMap(this::parseRetryAfter);
            } catch (IOException e) {
                detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt < maxAttempts) {
                Duration wait = min(retryAfter.orElse(backoff(attempt)), maxBackoff);
                LOG.warn("Webhook {} attempt {}/{} failed ({}); retrying in {} ms", redactedUrl, attempt, maxAttempts, detail, wait.toMillis());
                sleeper.sleep(wait);
            }
        }
        return new Outcome(false, maxAttempts, detail);
    }

    static boolean retryable(int status) {
        return status == 429 || status == 408 || status / 100 == 5;
    }

    /** The wait after failed attempt {@code attempt} (1-based) when the server names none. */
    Duration backoff(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return min(wait, maxBackoff);
    }

    /** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
    Optional<Duration> parseRetryAfter(String value) {
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String bodyExcerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }
}
