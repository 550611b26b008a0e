package dev.tierflow.local.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.config.http.HttpBinding;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Where the dashboard listens and whom it answers: loopback unless told otherwise, and its data only with the token. */
class DashboardServerTest {

    private static final RoutingPolicy POLICY = PolicyLoader.load(Path.of("../examples/policy.yaml"));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final String TOKEN = "s3cret-dashboard-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void listensOnTheLoopbackAddressByDefault() {
        try (DashboardServer server = DashboardServer.serve(new HttpBinding(null, 0, null), new DashboardData(POLICY, CLOCK))) {
            assertThat(server.address().getAddress().isLoopbackAddress()).as("bound to %s", server.address()).isTrue();
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
        }
    }

    @Test
    void listensOnTheHostItIsGiven() {
        try (DashboardServer server = DashboardServer.serve(new HttpBinding("0.0.0.0", 0, null), new DashboardData(POLICY, CLOCK))) {
            assertThat(server.address().getAddress().isAnyLocalAddress()).as("bound to %s", server.address()).isTrue();
        }
    }

    @Test
    void withoutATokenEverythingAnswers() throws Exception {
        try (DashboardServer server = DashboardServer.serve(HttpBinding.loopback(0), new DashboardData(POLICY, CLOCK))) {
            assertThat(get(server.url() + "api/snapshot", null).statusCode()).isEqualTo(200);
            assertThat(server.browserUrl()).isEqualTo(server.url());
        }
    }

    @Test
    void withATokenTheDataAnswers401WithoutIt() throws Exception {
        try (DashboardServer server = DashboardServer.serve(new HttpBinding(HttpBinding.LOOPBACK, 0, TOKEN), new DashboardData(POLICY, CLOCK))) {
            assertThat(get(server.url() + "api/snapshot", null).statusCode()).isEqualTo(401);
            assertThat(get(server.url() + "api/snapshot", "Bearer not-" + TOKEN).statusCode()).isEqualTo(401);
            assertThat(get(server.url() + "health", null).statusCode()).isEqualTo(401);

            HttpResponse<String> snapshot = get(server.url() + "api/snapshot", "Bearer " + TOKEN);
            assertThat(snapshot.statusCode()).isEqualTo(200);
            assertThat(snapshot.body()).contains("\"recordsRead\"");
            assertThat(get(server.url() + "health", "Bearer " + TOKEN).body()).isEqualTo("UP");
            // the page holds no data: it loads without the token and sends the one in its URL's fragment
            assertThat(get(server.url(), null).statusCode()).isEqualTo(200);
            assertThat(get(server.url() + "app.js", null).body()).contains("Authorization");
            assertThat(server.browserUrl()).isEqualTo(server.url() + "#token=" + TOKEN);
        }
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
