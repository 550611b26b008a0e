package dev.tierflow.flinksession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FlinkConfigWriterTest {

    private final ClusterPorts ports = new ClusterPorts(18081, 16123, 16124, 19250, 19251);

    @Test
    void bindsToLocalhostOnTheChosenPortsWithStateInTheWorkDir(@TempDir Path dir) {
        Map<String, String> config = FlinkConfigWriter.configFor(dir, ports, FlinkSessionOptions.defaults());

        assertThat(config)
                .containsEntry("rest.port", "18081")
                .containsEntry("jobmanager.rpc.port", "16123")
                .containsEntry("blob.server.port", "16124")
                .containsEntry("taskmanager.numberOfTaskSlots", "2")
                .containsEntry("jobmanager.memory.process.size", "768m")
                .containsEntry("taskmanager.memory.process.size", "1280m")
                .containsEntry("restart-strategy.type", "fixed-delay")
                .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .containsEntry("execution.checkpointing.dir", dir.toAbsolutePath().resolve("checkpoints").toUri().toString());
        // set per process, so the JM and the TM do not race for one port
        assertThat(config).doesNotContainKey("metrics.reporter.prom.port");
    }

    @Test
    void extraConfigOverridesTheDefaults(@TempDir Path dir) {
        FlinkSessionOptions options = FlinkSessionOptions.defaults()
                .withTaskSlots(4)
                .withConfig("restart-strategy.type", "none")
                .withConfig("execution.checkpointing.interval", "1 s");

        Map<String, String> config = FlinkConfigWriter.configFor(dir, ports, options);

        assertThat(config)
                .containsEntry("taskmanager.numberOfTaskSlots", "4")
                .containsEntry("restart-strategy.type", "none")
                .containsEntry("execution.checkpointing.interval", "1 s");
    }

    @Test
    void rendersOneQuotedFlatKeyPerLine() {
        String yaml = FlinkConfigWriter.render(Map.of("rest.port", "8081"));

        assertThat(yaml.lines()).contains("rest.port: \"8081\"");
        assertThat(FlinkConfigWriter.quote("C:\\a \"b\"")).isEqualTo("\"C:\\\\a \\\"b\\\"\"");
    }

    @Test
    void writesConfigAndLog4jFiles(@TempDir Path dir) throws Exception {
        FlinkConfigWriter.write(dir.resolve("conf"), Map.of("rest.port", "8081"));

        assertThat(Files.readString(dir.resolve("conf/config.yaml"))).contains("rest.port: \"8081\"");
        assertThat(Files.readString(dir.resolve("conf/log4j.properties"))).contains("${sys:log.file}");
    }
}
