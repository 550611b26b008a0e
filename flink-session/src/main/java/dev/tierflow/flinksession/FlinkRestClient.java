package dev.tierflow.flinksession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The few calls of Flink's REST API that submitting and watching a job needs. Plain HTTP and JSON, no
 * Flink client classes, so the caller needs none of Flink on its classpath.
 */
public final class FlinkRestClient {

    /** States a job does not leave. */
    public static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    /** @param restUrl e.g. {@code http://localhost:8081} */
    public FlinkRestClient(String restUrl) {
        this.base = URI.create(restUrl.endsWith("/") ? restUrl : restUrl + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code GET path}, e.g. {@code overview}, {@code jobs/<id>/checkpoints}, {@code taskmanagers}. */
    public JsonNode get(String path) {
        return send(request(path).GET(), "GET " + path);
    }

    /** {@code /overview}: taskmanagers, slots-total, slots-available, jobs-running, ... */
    public JsonNode overview() {
        return get("overview");
    }

    /** Uploads a job jar ({@code POST /jars/upload}); returns the jar id that {@link #runJar} takes. */
    public String uploadJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no job jar at " + jar.toAbsolutePath());
        }
        String boundary = "tierflow-" + UUID.randomUUID();
        byte[] body = multipart(boundary, jar);
        JsonNode response = send(request("jars/upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "POST jars/upload " + jar.getFileName());
        // {"filename": "/.../flink-web-upload/<uuid>_<name>.jar", "status": "success"}; the id is the file name
        String filename = response.path("filename").asText("");
        if (filename.isEmpty()) {
            throw new IllegalStateException("jar upload answered without a filename: " + response);
        }
        return Path.of(filename).getFileName().toString();
    }

    /**
     * Runs an uploaded jar ({@code POST /jars/{id}/run}); returns the job id once the job is submitted.
     *
     * @param entryClass the main class, or null for the jar manifest's Main-Class
     */
    public String runJar(String jarId, String entryClass, List<String> args, int parallelism) {
        ObjectNode body = JSON.createObjectNode();
        if (entryClass != null) {
            body.put("entryClass", entryClass);
        }
        args.forEach(body.putArray("programArgsList")::add);
        body.put("parallelism", parallelism);
        JsonNode response = send(request("jars/" + jarId + "/run")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "POST jars/" + jarId + "/run");
        String jobId = response.path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new IllegalStateException("jar run answered without a job id: " + response);
        }
        return jobId;
    }

    /** Upload then run: the usual pair. */
    public String submit(Path jar, String entryClass, List<String> args, int parallelism) {
        return runJar(uploadJar(jar), entryClass, args, parallelism);
    }

    /** e.g. CREATED, RUNNING, FINISHED, FAILED, CANCELED. */
    public String jobState(String jobId) {
        return get("jobs/" + jobId).path("state").asText();
    }

    /** Asks the job to cancel ({@code PATCH /jobs/{id}?mode=cancel}); returns at once, see {@link #awaitState}. */
    public void cancel(String jobId) {
        send(request("jobs/" + jobId + "?mode=cancel").method("PATCH", HttpRequest.BodyPublishers.noBody()),
                "PATCH jobs/" + jobId + "?mode=cancel");
    }

    /**
     * Waits until the job is in {@code state}. Fails at once, with the job's root exception, if it reaches a
     * different terminal state instead (FAILED while waiting for FINISHED).
     */
    public void awaitState(String jobId, String state, Duration timeout) {
        Poll.until(timeout, Duration.ofMillis(200), () -> {
            String current = jobState(jobId);
            if (current.equals(state)) {
                return Optional.of(current);
            }
            if (TERMINAL_STATES.contains(current)) {
                throw new IllegalStateException("job " + jobId + " is " + current + ", wanted " + state + rootCause(jobId));
            }
            return Optional.empty();
        }, () -> "job " + jobId + " to be " + state + ", it is " + jobState(jobId) + rootCause(jobId));
    }

    private String rootCause(String jobId) {
        try {
            JsonNode exceptions = get("jobs/" + jobId + "/exceptions");
            String root = exceptions.path("exceptionHistory").path("entries").path(0).path("stacktrace").asText("");
            return root.isEmpty() ? "" : "; root exception:\n" + root;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder request, String description) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(description + " to " + base + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(description + " interrupted", e);
        }
        if (response.statusCode() >= 300) {
            throw new FlinkRestException(description + " at " + base, response.statusCode(), response.body());
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(description + " answered with something other than JSON: " + response.body(), e);
        }
    }

    /** A multipart/form-data body with the jar as the {@code jarfile} field, the name Flink's upload handler reads. */
    private static byte[] multipart(String boundary, Path jar) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String head = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                    + "Content-Type: application/x-java-archive\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(Files.readAllBytes(jar));
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the job jar " + jar, e);
        }
    }
}
