package dev.tierflow.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** When the worker turns the OpenTelemetry export on: OTEL_* endpoint or exporter set, or its own setting. */
class OtelSwitchTest {

    private static boolean wanted(Map<String, String> environment, String... args) {
        WorkerCommand command = new WorkerCommand(environment);
        CommandLine line = new CommandLine(command);
        line.parseArgs(args);
        return WorkerApp.otelWanted(WorkerSettings.from(command.configuration()), environment);
    }

    private static final String[] REQUIRED = {"--tier", "small", "--policy", "p.yaml", "--prices", "prices.yaml"};

    @Test
    void offWithoutAnyOtelConfiguration() {
        assertThat(wanted(Map.of("OTEL_SERVICE_NAME", "w", "OTEL_EXPORTER_OTLP_ENDPOINT", " "), REQUIRED)).isFalse();
    }

    @Test
    void onWhenAnOtlpEndpointOrATracesExporterIsConfigured() {
        assertThat(wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), REQUIRED)).isTrue();
        assertThat(wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp"), REQUIRED)).isTrue();
    }

    @Test
    void onByTheWorkersOwnSettingFromTheEnvironmentOrAFlag() {
        assertThat(wanted(Map.of("TIERFLOW_WORKER_OTEL_ENABLED", "true"), REQUIRED)).isTrue();
        assertThat(wanted(Map.of(), "--tier", "small", "--policy", "p.yaml", "--prices", "prices.yaml",
                "-D", "tierflow.worker.otel.enabled=true")).isTrue();
        assertThat(wanted(Map.of("TIERFLOW_WORKER_OTEL_ENABLED", "false"), REQUIRED)).isFalse();
    }
}
