package dev.tierflow.alerting.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.tierflow.alerting.webhook.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The retry policy against a local server playing an incoming webhook. */
class WebhookPosterTest {

    @RegisterExtension
    static final WireMockExtension SERVER = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String PATH = "/services/T000/B000/secret";
    private static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");

    private final List<Duration> waits = new ArrayList<>();

    private WebhookPoster poster(int maxAttempts) {
        Properties properties = WebhookSettings.defaults();
        properties.setProperty(WebhookSettings.URL, SERVER.baseUrl() + PATH);
        properties.setProperty(WebhookSettings.MAX_ATTEMPTS, String.valueOf(maxAttempts));
        properties.setProperty(WebhookSettings.INITIAL_BACKOFF, "1 s");
        properties.setProperty(WebhookSettings.MAX_BACKOFF, "30 s");
        properties.setProperty(WebhookSettings.REQUEST_TIMEOUT, "5 s");
        // the waits are recorded, not spent
        return new WebhookPoster(WebhookSettings.from(properties), waits::add, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String body() {
        return AlertText.body(alert("a1", AlertKind.COST_CEILING, AlertState.FIRING, "tenant=acme", "spend 12 USD/h over 10 USD/h",
                "tenant=acme capped at tier mid"));
    }

    @Test
    void postsTheJsonBodyOnce() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));

        WebhookPoster.Outcome outcome = poster(3).post(body());

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(waits).isEmpty();
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8"))
                .withRequestBody(matchingJsonPath("$.text",
                        equalTo("[FIRING] COST_CEILING tenant=acme: spend 12 USD/h over 10 USD/h (action: tenant=acme capped at tier mid)"))));
        LoggedRequest request = SERVER.findAll(postRequestedFor(urlEqualTo(PATH))).get(0);
        assertThat(new ObjectMapper().readTree(request.getBodyAsString()).fieldNames()).toIterable().containsExactly("text");
    }

    @Test
    void waitsAsLongAsRetryAfterSaysOn429ThenDelivers() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("rate limited").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody("rate_limited"))
                .willSetStateTo("open"));
        SERVER.stubFor(post(PATH).inScenario("rate limited").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        WebhookPoster.Outcome outcome = poster(3).post(body());

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
        SERVER.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonouredAndCappedAtTheLongestBackoff() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("dated").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "Mon, 05 Jan 2026 09:00:12 GMT"))
                .willSetStateTo("far"));
        SERVER.stubFor(post(PATH).inScenario("dated").whenScenarioStateIs("far")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600"))
                .willSetStateTo("open"));
        SERVER.stubFor(post(PATH).inScenario("dated").whenScenarioStateIs("open").willReturn(aResponse().withStatus(204)));

        WebhookPoster.Outcome outcome = poster(5).post(body());

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(12), Duration.ofSeconds(30));
    }

    @Test
    void givesUpAfterMaxAttemptsOfServerErrorsBackingOffExponentially() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(500).withBody("internal error")));

        WebhookPoster.Outcome outcome = poster(4).post(body());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(outcome.detail()).isEqualTo("HTTP 500: internal error");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        SERVER.verify(4, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void connectionErrorsAreRetried() throws Exception {
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        SERVER.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs("up").willReturn(aResponse().withStatus(200)));

        WebhookPoster.Outcome outcome = poster(3).post(body());

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        SERVER.stubFor(post(PATH).willReturn(aResponse().withStatus(404).withBody("no_service")));

        WebhookPoster.Outcome outcome = poster(5).post(body());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.detail()).isEqualTo("HTTP 404: no_service (not retried)");
        assertThat(waits).isEmpty();
        SERVER.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }
}
