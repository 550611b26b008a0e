package dev.tierflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryServerIT {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"it\","
            + "\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";

    @TempDir
    static Path logDir;

    private static ApicurioRegistryServer server;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startRegistry() {
        long started = System.nanoTime();
        server = ApicurioRegistryServer.start(ApicurioRegistryServer.Settings.defaults().withLogDir(logDir));
        System.out.printf("ApicurioRegistryServer started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stopRegistry() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void schemaRegisteredThroughTheCoreApiIsVisibleThroughCcompatWithTheSameId() throws Exception {
        String body = "{\"artifactId\":\"ping-value\",\"artifactType\":\"AVRO\",\"firstVersion\":{\"content\":"
                + "{\"content\":" + jsonString(SCHEMA) + ",\"contentType\":\"application/json\"}}}";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/groups/default/artifacts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        long contentId = number(created.body(), "contentId");

        assertThat(get(server.ccompatUrl() + "/subjects")).contains("\"ping-value\"");
        String latest = get(server.ccompatUrl() + "/subjects/ping-value/versions/latest");
        assertThat(number(latest, "id")).isEqualTo(contentId);
        assertThat(latest).contains("Ping");
    }

    @Test
    void withFileStorageARestartedServerStillReadsRecordsWrittenBefore(@TempDir Path storage) {
        AgentTask task = AgentTask.newBuilder().setTaskId("t-kept").setRunId("r-1").setTenant("acme").setRole("planner")
                .setTaskType("plan").setCreatedAt(Instant.parse("2026-12-07T10:00:00Z")).build();
        int[] ports = Ports.freePorts(2);
        ApicurioRegistryServer.Settings settings = ApicurioRegistryServer.Settings.defaults().withPorts(ports[0], ports[1])
                .withLogDir(logDir).withFileStorage(storage);
        byte[] written;
        try (ApicurioRegistryServer first = ApicurioRegistryServer.start(settings)) {
            written = AvroSerdes.forRegistry(first.url()).avro(AgentTask.class, false).serializer().serialize("tasks", task);
        }

        try (ApicurioRegistryServer restarted = ApicurioRegistryServer.start(settings)) {
            // a fresh client: nothing cached, the id must be resolved by the restarted server
            Serde<AgentTask> reader = AvroSerdes.forRegistry(restarted.url()).avro(AgentTask.class, false);
            assertThat(reader.deserializer().deserialize("tasks", written)).isEqualTo(task);
        }
    }

    @Test
    void serdesRegisterAndReadBackAnAgentTask() throws Exception {
        Serde<AgentTask> serde = AvroSerdes.forRegistry(server.url()).avro(AgentTask.class, false);
        AgentTask task = AgentTask.newBuilder().setTaskId("t-1").setRunId("r-1").setTenant("acme").setRole("planner")
                .setTaskType("plan").setCreatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setAttributes(Map.of("tierflow.hint", "small")).build();

        byte[] bytes = serde.serializer().serialize("tasks", task);

        assertThat(bytes[0]).as("Confluent magic byte").isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(number(get(server.ccompatUrl() + "/subjects/tasks-value/versions/latest"), "id")).isEqualTo(id);
        assertThat(serde.deserializer().deserialize("tasks", bytes)).isEqualTo(task);
    }

    @Test
    void aServerThatCannotStartFailsWithItsLogTail() {
        ApicurioRegistryServer.Settings samePort = ApicurioRegistryServer.Settings.defaults().withLogDir(logDir)
                .withPorts(Integer.parseInt(server.baseUrl().replaceAll(".*:", "")), 0);

        assertThatThrownBy(() -> ApicurioRegistryServer.start(samePort).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Apicurio Registry exited with code")
                .hasMessageContaining("Last lines of " + logDir)
                .hasMessageContaining("Port " + samePort.httpPort() + " seems to be in use");
    }

    @Test
    void closeStopsTheServerProcess() {
        ApicurioRegistryServer own = ApicurioRegistryServer.start(ApicurioRegistryServer.Settings.defaults());
        long pid = own.pid();
        String url = own.url();

        own.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThatThrownBy(() -> get(url + "/system/info")).isInstanceOf(ConnectException.class);
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " → " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
