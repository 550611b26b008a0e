package dev.tierflow.local.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Registers schemas under subjects through the registry's Confluent-compatible API
 * ({@code POST <ccompat>/subjects/<subject>/versions}), so Confluent clients find them by subject. The
 * answer's id is the content id (with {@code apicurio.ccompat.legacy-id-mode.enabled=false}, the
 * registry's default), the same id the Apicurio serdes write after the magic byte. Registering a schema a
 * subject already has returns its existing id: running this again changes nothing.
 */
public final class CcompatRegistrar {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final String CORE_PATH = "/apis/registry/v3";

    private final URI ccompat;
    private final HttpClient http;
    private final Duration timeout;

    public CcompatRegistrar(String registryUrl, Duration timeout) {
        this.ccompat = URI.create(ccompatUrl(registryUrl));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The ccompat base URL of a registry given by its core API URL (what the serdes take), its ccompat URL,
     * or its bare address.
     */
    public static String ccompatUrl(String registryUrl) {
        String url = registryUrl.replaceAll("/+$", "");
        if (url.endsWith(CCOMPAT_PATH)) {
            return url;
        }
        if (url.endsWith(CORE_PATH)) {
            return url.substring(0, url.length() - CORE_PATH.length()) + CCOMPAT_PATH;
        }
        return url + CCOMPAT_PATH;
    }

    /** Registers each subject's schema; subject -> content id, in the given order. */
    public Map<String, Long> registerAll(Map<String, Schema> subjects) throws IOException, InterruptedException {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Schema> subject : subjects.entrySet()) {
            ids.put(subject.getKey(), register(subject.getKey(), subject.getValue()));
        }
        return ids;
    }

    /** Registers one schema under one subject and returns its id. */
    public long register(String subject, Schema schema) throws IOException, InterruptedException {
        // the compact form, byte for byte what the serdes register, so both end up with one content id
        String body = JSON.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema.toString()));
        HttpRequest request = HttpRequest.newBuilder(subjectUri(subject, "/versions")).timeout(timeout)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("registering subject " + subject + " at " + ccompat + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode id = JSON.readTree(response.body()).path("id");
        if (!id.canConvertToLong()) {
            throw new IOException("registering subject " + subject + ": no id in the answer " + response.body());
        }
        return id.longValue();
    }

    private URI subjectUri(String subject, String rest) {
        return URI.create(ccompat + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + rest);
    }
}
