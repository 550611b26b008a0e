package dev.tierflow.alerting.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AlertWebhookCommandTest {

    private static WebhookSettings settings(Map<String, String> environment, String... args) {
        AlertWebhookCommand command = new AlertWebhookCommand(environment);
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void theEnvironmentGivesTheUrlAndFlagsWin() {
        WebhookSettings settings = settings(Map.of("TIERFLOW_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/secret",
                        "TIERFLOW_WEBHOOK_MAX__ATTEMPTS", "9", "KAFKA_BOOTSTRAP_SERVERS", "broker:9092"),
                "--skip-info", "--max-attempts", "3");

        assertThat(settings.url().toString()).isEqualTo("https://hooks.slack.com/services/T0/B0/secret");
        assertThat(settings.redactedUrl()).isEqualTo("https://hooks.slack.com/…");
        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(settings.skipInfo()).isTrue();
        assertThat(settings.groupId()).isEqualTo("tierflow-alert-webhook");
        assertThat(settings.clientConfig()).containsEntry("bootstrap.servers", "broker:9092");
        assertThat(settings.registryConfig()).containsKey("apicurio.registry.url");
    }

    @Test
    void defaults() {
        WebhookSettings settings = settings(Map.of(), "--url", "http://localhost:8065/hooks/abc");

        assertThat(settings.skipInfo()).isFalse();
        assertThat(settings.maxAttempts()).isEqualTo(5);
        assertThat(AlertWebhookForwarder.consumerProperties(settings))
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("group.id", "tierflow-alert-webhook");
    }

    @Test
    void aMissingOrBadUrlIsAClearError() {
        assertThatThrownBy(() -> settings(Map.of()))
                .hasMessageContaining("tierflow.webhook.url is required").hasMessageContaining("--url");
        assertThatThrownBy(() -> settings(Map.of(), "--url", "ftp://example.com/x"))
                .hasMessageContaining("must be an http:// or https:// URL");
        assertThatThrownBy(() -> settings(Map.of(), "--url", "https://example.com/x", "--max-attempts", "0"))
                .hasMessageContaining("tierflow.webhook.max-attempts must be a whole number of at least 1");
    }
}
