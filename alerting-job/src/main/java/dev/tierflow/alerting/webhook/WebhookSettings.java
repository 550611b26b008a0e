package dev.tierflow.alerting.webhook;

import dev.tierflow.flink.JobProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The webhook forwarder's settings: its own ({@code tierflow.webhook.*}), the registry's
 * ({@code apicurio.registry.*}) and the Kafka consumer's (everything else, untouched).
 */
public record WebhookSettings(URI url, String groupId, boolean skipInfo, int maxAttempts, Duration initialBackoff,
                              Duration maxBackoff, Duration requestTimeout, Map<String, String> registryConfig,
                              Map<String, String> clientConfig) {

    private static final String PREFIX = "tierflow.webhook.";
    /** The incoming-webhook URL (Slack, Mattermost, Teams, or anything accepting {@code {"text": ...}}); a secret. */
    public static final String URL = PREFIX + "url";
    public static final String GROUP_ID = PREFIX + "group.id";
    /** true: INFO notices are not posted (FIRING and RESOLVED still are); they stay on the topic. */
    public static final String SKIP_INFO = PREFIX + "skip-info";
    /** Attempts per alert, the first included, before it is logged at ERROR and skipped. */
    public static final String MAX_ATTEMPTS = PREFIX + "max-attempts";
    /** Wait before the second attempt; doubled before each further one. */
    public static final String INITIAL_BACKOFF = PREFIX + "backoff.initial";
    /** Longest wait between attempts, a server's Retry-After included. */
    public static final String MAX_BACKOFF = PREFIX + "backoff.max";
    public static final String REQUEST_TIMEOUT = PREFIX + "request.timeout";

    public static Properties defaults() {
        Properties defaults = new Properties();
        defaults.setProperty("bootstrap.servers", "localhost:9092");
        defaults.setProperty("apicurio.registry.url", "http://localhost:8080/apis/registry/v3");
        defaults.setProperty(GROUP_ID, "tierflow-alert-webhook");
        defaults.setProperty(SKIP_INFO, "false");
        defaults.setProperty(MAX_ATTEMPTS, "5");
        defaults.setProperty(INITIAL_BACKOFF, "1 s");
        defaults.setProperty(MAX_BACKOFF, "1 min");
        defaults.setProperty(REQUEST_TIMEOUT, "10 s");
        return defaults;
    }

    public static WebhookSettings from(Properties all) {
        JobProperties properties = new JobProperties(all);
        String url = properties.required(URL, "the incoming-webhook URL to post alerts to (--url, TIERFLOW_WEBHOOK_URL)");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL + " is not a valid URL: " + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(URL + " must be an http:// or https:// URL, was one starting with '" + uri.getScheme() + ":'");
        }
        Duration initial = properties.duration(INITIAL_BACKOFF);
        Duration max = properties.duration(MAX_BACKOFF);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(MAX_BACKOFF + " (" + max + ") must be at least " + INITIAL_BACKOFF + " (" + initial + ")");
        }
        return new WebhookSettings(uri, properties.required(GROUP_ID, "the consumer group id"), properties.flag(SKIP_INFO),
                properties.positive(MAX_ATTEMPTS), initial, max, properties.duration(REQUEST_TIMEOUT),
                properties.registryConfig(), properties.clientConfig());
    }

    /** The URL without its path and query: Slack-style webhook URLs carry their secret there, so logs get only this. */
    public String redactedUrl() {
        return url.getScheme() + "://" + url.getAuthority() + "/…";
    }
}
