package dev.tierflow.config.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void bindsTheLoopbackAddressUnlessToldOtherwise() {
        HttpBinding binding = new HttpBinding(null, 0, null);
        try (MetricsServer server = MetricsServer.start(binding, () -> "", () -> true)) {
            assertThat(server.host()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void withoutATokenServesMetricsAndHealth() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (MetricsServer server = MetricsServer.start(HttpBinding.loopback(0), () -> "up 1\n", healthy::get)) {
            assertThat(get(server, "/metrics", null).body()).isEqualTo("up 1\n");
            assertThat(get(server, "/health", null).statusCode()).isEqualTo(200);
            healthy.set(false);
            HttpResponse<String> down = get(server, "/health", null);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("DOWN");
        }
    }

    @Test
    void withATokenRefusesRequestsThatLackIt() throws Exception {
        HttpBinding binding = new HttpBinding("127.0.0.1", 0, "s3cret");
        try (MetricsServer server = MetricsServer.start(binding, () -> "tenant_spend 1\n", () -> true)) {
            assertThat(get(server, "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(server, "/metrics", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(get(server, "/health", "s3cret").statusCode()).as("the scheme is required").isEqualTo(401);
            HttpResponse<String> ok = get(server, "/metrics", "Bearer s3cret");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("tenant_spend 1\n");
        }
    }

    @Test
    void neverPrintsItsToken() {
        assertThat(new HttpBinding("0.0.0.0", 9464, "s3cret").toString()).doesNotContain("s3cret").contains("0.0.0.0:9464");
    }

    private HttpResponse<String> get(MetricsServer server, String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
