package dev.tierflow.flinksession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the cluster's {@code conf/} directory: {@code config.yaml} (Flink 2 reads flat dotted keys from
 * it as well as nested ones; flat keys keep overrides simple) and the log4j2 configuration that flink-dist
 * would otherwise ship.
 */
final class FlinkConfigWriter {

    static final String CONFIG_FILE = "config.yaml";
    static final String LOG4J_FILE = "log4j.properties";

    private FlinkConfigWriter() {
    }

    /** The options for a one-TM cluster bound to localhost, with all state under {@code workDir}. */
    static Map<String, String> configFor(Path workDir, ClusterPorts ports, FlinkSessionOptions options) {
        Path dir = workDir.toAbsolutePath();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "localhost");
        config.put("jobmanager.rpc.port", String.valueOf(ports.jobManagerRpc()));
        config.put("jobmanager.bind-host", "localhost");
        config.put("taskmanager.bind-host", "localhost");
        config.put("taskmanager.host", "localhost");
        config.put("rest.address", "localhost");
        config.put("rest.bind-address", "localhost");
        config.put("rest.port", String.valueOf(ports.rest()));
        config.put("blob.server.port", String.valueOf(ports.blobServer()));
        config.put("jobmanager.memory.process.size", options.jobManagerMemory());
        config.put("taskmanager.memory.process.size", options.taskManagerMemory());
        config.put("taskmanager.numberOfTaskSlots", String.valueOf(options.taskSlots()));
        config.put("parallelism.default", "1");
        // The TM starts alongside the JM and its first lookup of the ResourceManager usually fails; the
        // default 10 s retry delay would then be most of the startup time.
        config.put("cluster.registration.error-delay", "500 ms");
        // Without a bounded restart strategy a failing job restarts forever and looks hung.
        config.put("restart-strategy.type", "fixed-delay");
        config.put("restart-strategy.fixed-delay.attempts", "2");
        config.put("restart-strategy.fixed-delay.delay", "1 s");
        config.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        config.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        // Keep uploaded jars and scratch files inside the work dir, not in a shared /tmp.
        config.put("io.tmp.dirs", dir.resolve("tmp").toString());
        config.put("web.tmpdir", dir.resolve("tmp").toString());
        config.put("web.upload.dir", dir.resolve("uploads").toString());
        // The port is set per process as a dynamic property (see ClusterPorts); this is only the factory.
        config.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        config.putAll(options.extraConfig());
        return config;
    }

    /** One {@code key: value} line per option; values are quoted so YAML never retypes them. */
    static String render(Map<String, String> config) {
        return config.entrySet().stream()
                .map(e -> e.getKey() + ": " + quote(e.getValue()))
                .collect(Collectors.joining("\n", "# written by dev.tierflow.flinksession.FlinkConfigWriter\n", "\n"));
    }

    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Writes config.yaml and log4j.properties into {@code confDir} (created if needed). */
    static void write(Path confDir, Map<String, String> config) {
        try {
            Files.createDirectories(confDir);
            Files.writeString(confDir.resolve(CONFIG_FILE), render(config));
            Files.writeString(confDir.resolve(LOG4J_FILE), LOG4J);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the Flink configuration to " + confDir, e);
        }
    }

    /** Each process logs to the file in its {@code log.file} system property (Flink's REST log view reads it too). */
    private static final String LOG4J = """
            # written by dev.tierflow.flinksession.FlinkConfigWriter
            monitorInterval = 0
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = MainAppender
            # one line per metric-name collision otherwise
            logger.metricgroup.name = org.apache.flink.metrics.MetricGroup
            logger.metricgroup.level = ERROR
            appender.main.name = MainAppender
            appender.main.type = File
            appender.main.append = true
            appender.main.fileName = ${sys:log.file}
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            """;
}
