package dev.tierflow.attribution.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AttributionJobMainTest {

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverDefaults() {
        AttributionJobMain main = new AttributionJobMain(Map.of(
                "TIERFLOW_ATTRIBUTION_WINDOW_SLIDE", "10 s",
                "TIERFLOW_ATTRIBUTION_WINDOW_SIZE", "2 min",
                "KAFKA_BOOTSTRAP_SERVERS", "env:9092"));
        new CommandLine(main).parseArgs("--policy", "p.yaml", "--prices", "q.yaml", "--window-size", "4 min",
                "--bootstrap-servers", "flag:9092", "-D", "security.protocol=SASL_SSL");

        AttributionSettings settings = AttributionSettings.from(main.configuration());

        assertThat(settings.windows().size()).isEqualTo(Duration.ofMinutes(4));
        assertThat(settings.windows().slide()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.windows().allowedLateness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(settings.clientConfig()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.policyFile()).hasToString("p.yaml");
    }

    @Test
    void aPrometheusPortTurnsOnFlinksReporterForALocalRun() {
        AttributionJobMain main = new AttributionJobMain(Map.of());
        new CommandLine(main).parseArgs("--prometheus-port", "9250");

        assertThat(main.flinkConfiguration().toMap())
                .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.port", "9250");
        assertThat(new AttributionJobMain(Map.of()).flinkConfiguration().toMap()).isEmpty();
    }
}
