package dev.tierflow.attribution.app;

import static dev.tierflow.attribution.app.AttributionSettings.ALLOWED_LATENESS;
import static dev.tierflow.attribution.app.AttributionSettings.CHECKPOINT_INTERVAL;
import static dev.tierflow.attribution.app.AttributionSettings.JOIN_BOUND;
import static dev.tierflow.attribution.app.AttributionSettings.PARALLELISM;
import static dev.tierflow.attribution.app.AttributionSettings.POLICY_FILE;
import static dev.tierflow.attribution.app.AttributionSettings.PRICES_FILE;
import static dev.tierflow.attribution.app.AttributionSettings.STUCK_AFTER;
import static dev.tierflow.attribution.app.AttributionSettings.TOPIC_PARTITIONS;
import static dev.tierflow.attribution.app.AttributionSettings.TRANSACTION_TIMEOUT;
import static dev.tierflow.attribution.app.AttributionSettings.WINDOW_SIZE;
import static dev.tierflow.attribution.app.AttributionSettings.WINDOW_SLIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AttributionSettingsTest {

    @Test
    void theDefaultsParse() {
        AttributionSettings settings = AttributionSettings.from(defaultsWithFiles());

        assertThat(settings.policyFile()).isEqualTo(Path.of("policy.yaml"));
        assertThat(settings.pricesFile()).isEqualTo(Path.of("prices.yaml"));
        assertThat(settings.groupId()).isEqualTo("tierflow-attribution");
        assertThat(settings.otlpEnabled()).isFalse();
        assertThat(settings.windows().size()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.windows().slide()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.windows().allowedLateness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.idleness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.joinBound()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.stuckAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.parallelism()).isEqualTo(1);
        assertThat(settings.topicPartitions()).isEqualTo(6);
        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.alignmentMaxDrift()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.alignmentUpdateInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void anUnboundedReadIsAlignedByDefault() {
        AttributionSettings settings = AttributionSettings.from(defaultsWithFiles());

        assertThat(settings.bounded()).isFalse();
        assertThat(settings.alignmentEnabled()).isTrue();
    }

    @Test
    void aBoundedReadIsNeverAligned() {
        Properties all = defaultsWithFiles();
        all.setProperty(AttributionSettings.BOUNDED, "true");

        assertThat(AttributionSettings.from(all).alignmentEnabled()).isFalse();
    }

    @Test
    void aZeroDriftTurnsAlignmentOff() {
        Properties all = defaultsWithFiles();
        all.setProperty(AttributionSettings.ALIGNMENT_MAX_DRIFT, "0 s");

        assertThat(AttributionSettings.from(all).alignmentEnabled()).isFalse();
    }

    @Test
    void settingsAreSplitIntoTheJobsTheRegistrysAndTheClients() {
        Properties all = defaultsWithFiles();
        all.setProperty("security.protocol", "SASL_SSL");

        AttributionSettings settings = AttributionSettings.from(all);

        assertThat(settings.registryConfig()).containsEntry("apicurio.registry.url", "http://localhost:8080/apis/registry/v3");
        assertThat(settings.clientConfig()).containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "localhost:9092");
        assertThat(settings.clientConfig().keySet()).noneMatch(name -> name.startsWith("tierflow.") || name.startsWith("apicurio."));
        assertThat(settings.clientProperties().getProperty("security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void durationsAreWrittenLikeFlinks() {
        Properties all = defaultsWithFiles();
        all.setProperty(WINDOW_SIZE, "10 min");
        all.setProperty(WINDOW_SLIDE, "30 s");
        all.setProperty(ALLOWED_LATENESS, "500ms");
        all.setProperty(JOIN_BOUND, "1 h");
        all.setProperty(STUCK_AFTER, "90s");

        AttributionSettings settings = AttributionSettings.from(all);

        assertThat(settings.windows().size()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.windows().slide()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.windows().allowedLateness()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.joinBound()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.stuckAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aStuckTimeoutBeyondTheJoinBoundIsRefusedNamingBoth() {
        Properties all = defaultsWithFiles();
        all.setProperty(STUCK_AFTER, "20 min");

        assertThatThrownBy(() -> AttributionSettings.from(all))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(STUCK_AFTER).hasMessageContaining(JOIN_BOUND);
    }

    @Test
    void aStuckTimeoutEqualToTheJoinBoundIsAccepted() {
        Properties all = defaultsWithFiles();
        all.setProperty(STUCK_AFTER, "15 min");

        assertThat(AttributionSettings.from(all).stuckAfter()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aTransactionTimeoutNotAboveTheCheckpointIntervalIsRefusedNamingBoth() {
        Properties all = defaultsWithFiles();
        all.setProperty(TRANSACTION_TIMEOUT, "10 s");

        assertThatThrownBy(() -> AttributionSettings.from(all))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TRANSACTION_TIMEOUT).hasMessageContaining(CHECKPOINT_INTERVAL);

        all.setProperty(TRANSACTION_TIMEOUT, "11 s");
        assertThat(AttributionSettings.from(all).transactionTimeout()).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void aMissingPolicyFileIsNamed() {
        Properties all = defaultsWithFiles();
        all.remove(POLICY_FILE);

        assertThatThrownBy(() -> AttributionSettings.from(all)).hasMessageContaining(POLICY_FILE);
        all.setProperty(POLICY_FILE, "  ");
        assertThatThrownBy(() -> AttributionSettings.from(all)).hasMessageContaining(POLICY_FILE);
    }

    @Test
    void theDefaultsAloneLackTheFiles() {
        assertThatThrownBy(() -> AttributionSettings.from(AttributionSettings.defaults())).hasMessageContaining(POLICY_FILE);
    }

    @Test
    void aBadNumberIsNamed() {
        Properties all = defaultsWithFiles();
        all.setProperty(PARALLELISM, "two");
        assertThatThrownBy(() -> AttributionSettings.from(all)).hasMessageContaining(PARALLELISM).hasMessageContaining("'two'");

        all.setProperty(PARALLELISM, "2");
        all.setProperty(TOPIC_PARTITIONS, "0");
        assertThatThrownBy(() -> AttributionSettings.from(all)).hasMessageContaining(TOPIC_PARTITIONS).hasMessageContaining("'0'");
    }

    @Test
    void aBadDurationIsNamed() {
        Properties all = defaultsWithFiles();
        all.setProperty(JOIN_BOUND, "soon");

        assertThatThrownBy(() -> AttributionSettings.from(all)).hasMessageContaining(JOIN_BOUND).hasMessageContaining("'soon'");
    }

    @Test
    void aBadWindowIsNamed() {
        Properties all = defaultsWithFiles();
        all.setProperty(WINDOW_SLIDE, "10 min");

        assertThatThrownBy(() -> AttributionSettings.from(all)).hasMessageContaining(WINDOW_SLIDE).hasMessageContaining("must not exceed");
    }

    @Test
    void theBrokersAreRequired() {
        Properties all = defaultsWithFiles();
        all.remove("bootstrap.servers");

        assertThatThrownBy(() -> AttributionSettings.from(all)).hasMessageContaining("bootstrap.servers");
    }

    private static Properties defaultsWithFiles() {
        Properties all = AttributionSettings.defaults();
        all.setProperty(POLICY_FILE, "policy.yaml");
        all.setProperty(PRICES_FILE, "prices.yaml");
        return all;
    }
}
