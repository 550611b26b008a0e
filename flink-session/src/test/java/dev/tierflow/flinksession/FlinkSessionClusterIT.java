package dev.tierflow.flinksession;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** One real cluster (two child JVMs) for the class: starting one costs several seconds. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkSessionClusterIT {

    private static final String JOB = "dev.tierflow.flinksession.testjob.CountingJob";

    @TempDir
    static Path workDir;

    static FlinkSessionCluster cluster;
    static Path jobJar;

    @BeforeAll
    static void startCluster() throws IOException {
        jobJar = testJobJar();
        long started = System.nanoTime();
        cluster = FlinkSessionCluster.start(workDir, FlinkSessionOptions.defaults());
        System.out.printf("Flink session cluster up in %d ms at %s%n", (System.nanoTime() - started) / 1_000_000, cluster.restUrl());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void oneTaskManagerWithTwoSlotsInItsOwnProcess() {
        JsonNode overview = cluster.rest().overview();

        assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
        assertThat(overview.path("slots-total").asInt()).isEqualTo(2);
        assertThat(cluster.jobManagerProcess().isAlive()).isTrue();
        assertThat(cluster.taskManagerProcess().isAlive()).isTrue();
        assertThat(cluster.taskManagerProcess().pid()).isNotEqualTo(cluster.jobManagerProcess().pid())
                .isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    @Order(2)
    void aBoundedJobFromAJobJarFinishes() {
        long started = System.nanoTime();
        String jobId = cluster.rest().submit(jobJar, JOB, List.of("100000"), 2);

        cluster.rest().awaitState(jobId, "FINISHED", Duration.ofSeconds(45));
        System.out.printf("bounded job submitted and FINISHED in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    @Order(3)
    void anUnboundedJobCheckpointsAndCancels() {
        String jobId = cluster.rest().submit(jobJar, JOB, List.of("0", "200"), 1);
        cluster.rest().awaitState(jobId, "RUNNING", Duration.ofSeconds(30));

        // the checkpoint dir in config.yaml is used: a completed checkpoint lands under workDir/checkpoints
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                cluster.rest().get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt()).isPositive());
        assertThat(workDir.resolve("checkpoints").resolve(jobId)).isDirectory();

        cluster.rest().cancel(jobId);
        cluster.rest().awaitState(jobId, "CANCELED", Duration.ofSeconds(30));
    }

    @Test
    @Order(4)
    void theTaskManagerServesPrometheusMetrics() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.taskManagerMetricsUrl())).build();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                        .contains("flink_taskmanager_Status_JVM_CPU_Load"));
    }

    @Test
    @Order(5)
    void restErrorsCarryFlinksMessage() {
        assertThatThrownBy(() -> cluster.rest().runJar("no-such.jar", JOB, List.of(), 1))
                .isInstanceOf(FlinkRestException.class)
                .hasMessageContaining("no-such.jar");
    }

    @Test
    @Order(6)
    void closeStopsBothProcesses() {
        ProcessHandle jobManager = cluster.jobManagerProcess();
        ProcessHandle taskManager = cluster.taskManagerProcess();

        cluster.close();
        cluster.close();

        assertThat(jobManager.isAlive()).isFalse();
        assertThat(taskManager.isAlive()).isFalse();
    }

    @Test
    @Order(7)
    void aBadConfigurationFailsWithFlinksReason(@TempDir Path dir) {
        FlinkSessionOptions tooSmall = FlinkSessionOptions.defaults().withConfig("taskmanager.memory.process.size", "64m");

        assertThatThrownBy(() -> FlinkSessionCluster.start(dir, tooSmall))
                .hasMessageContaining("GET_TM_RESOURCE_PARAMS")
                .hasMessageContaining("64");
    }

    /** Built by the jar plugin in package, before failsafe runs. */
    private static Path testJobJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-testjob.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/*-testjob.jar: run ./mvnw -pl flink-session verify"));
        }
    }
}
