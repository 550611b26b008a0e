package dev.tierflow.local.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Whether the registry answers, and how many artifacts (schemas) it holds; {@code problem} says why not. */
public record RegistryStatus(String url, Long artifacts, String problem) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean reachable() {
        return problem == null;
    }

    /** Asks the v3 API's artifact search for its total count (one result is enough to get it). */
    public static RegistryStatus read(String registryUrl, Duration timeout) {
        URI search = URI.create(registryUrl.replaceAll("/+$", "") + "/search/artifacts?limit=1");
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(search).timeout(timeout).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new RegistryStatus(registryUrl, null, "HTTP " + response.statusCode() + " from " + search);
            }
            JsonNode count = JSON.readTree(response.body()).path("count");
            return count.isIntegralNumber() ? new RegistryStatus(registryUrl, count.longValue(), null)
                    : new RegistryStatus(registryUrl, null, "no artifact count in the answer of " + search);
        } catch (IOException e) {
            return new RegistryStatus(registryUrl, null, "not reachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RegistryStatus(registryUrl, null, "interrupted");
        }
    }
}
