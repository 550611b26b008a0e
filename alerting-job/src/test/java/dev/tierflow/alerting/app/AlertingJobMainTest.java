package dev.tierflow.alerting.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AlertingJobMainTest {

    @Test
    void defaultsKeepTheLoopShortAndActionsOn() {
        AlertingJobMain main = new AlertingJobMain(Map.of());
        new CommandLine(main).parseArgs("--policy", "p.yaml", "--prices", "prices.yaml");

        AlertingSettings settings = AlertingSettings.from(main.configuration());

        assertThat(settings.actionsEnabled()).isTrue();
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.policyFile()).hasToString("p.yaml");
        assertThat(settings.pricesFile()).hasToString("prices.yaml");
    }

    @Test
    void alertOnlyIsAGlobalFreezeAndTheEnvironmentLayersUnderFlags() {
        AlertingJobMain main = new AlertingJobMain(Map.of("TIERFLOW_ALERTING_CHECKPOINT_INTERVAL", "5 s",
                "KAFKA_BOOTSTRAP_SERVERS", "env:9092"));
        new CommandLine(main).parseArgs("--policy", "p.yaml", "--prices", "prices.yaml", "--alert-only", "--bootstrap-servers", "flag:9092");

        AlertingSettings settings = AlertingSettings.from(main.configuration());

        assertThat(settings.actionsEnabled()).isFalse();
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.bootstrapServers()).isEqualTo("flag:9092");
    }

    @Test
    void aTransactionTimeoutShorterThanTheCheckpointIntervalIsRefusedByName() {
        AlertingJobMain main = new AlertingJobMain(Map.of());
        new CommandLine(main).parseArgs("--policy", "p.yaml", "-D", "tierflow.alerting.transaction.timeout=1 s");

        assertThatThrownBy(() -> AlertingSettings.from(main.configuration()))
                .hasMessageContaining("tierflow.alerting.transaction.timeout (PT1S) must exceed tierflow.alerting.checkpoint.interval (PT2S)");
    }
}
