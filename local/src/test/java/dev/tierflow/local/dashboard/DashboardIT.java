package dev.tierflow.local.dashboard;

import static dev.tierflow.local.dashboard.DashboardRecords.alert;
import static dev.tierflow.local.dashboard.DashboardRecords.quality;
import static dev.tierflow.local.dashboard.DashboardRecords.window;
import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.config.http.HttpBinding;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.PolicySource;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard on the real broker and registry, loaded in headless Chromium: the page renders its charts
 * from the stats, shows the alert and the rule the alerting job would have written, and a later alert.
 * The screenshot is kept at {@code local/target/dashboard-screenshots/dashboard.png}. Skipped when
 * {@code chromium} (Debian package) is not on the PATH.
 */
@ExtendWith(TierFlowInfraExtension.class)
class DashboardIT {

    static final Path SCREENSHOT = Path.of("target", "dashboard-screenshots", "dashboard.png");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final String FIRING_MESSAGE = "role=worker/type=extract/tier=small: quality 0.61 below floor 0.80 over 40 graded spans";
    private static final String RESOLVED_MESSAGE = "role=worker/type=extract/tier=small: quality back to 0.86";
    /** The page runs with a bearer token, as a dashboard bound beyond this machine should: it must still render. */
    private static final String TOKEN = "dashboard-it-token";
    private static final String RULE_SCOPE = "role=worker/type=extract";
    private static final String RULE_REASON = "quality floor breached on small: promoted to mid";

    @Test
    void pageRendersTheStackDataAndFollowsNewAlerts(TierFlowInfra infra) throws Exception {
        Path workDir = Files.createDirectories(Path.of("target", "dashboard-it"));
        HeadlessChromium chromium = HeadlessChromium.required(workDir);
        RoutingPolicy policy = PolicyLoader.load(Path.of("../examples/policy.yaml"));
        infra.createTopics(3, Topics.STATS.name(), Topics.ALERTS.name(), Topics.POLICY.name());

        Instant firstWindow = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>(statsRecords(firstWindow));
        String alertId = "QUALITY_FLOOR role=worker/type=extract/tier=small";
        Instant firedAt = firstWindow.plusSeconds(420);
        records.add(record(Topics.ALERTS.name(), alertId, alert(alertId, AlertState.FIRING, "role=worker/type=extract/tier=small", FIRING_MESSAGE, firedAt)));
        records.add(record(Topics.POLICY.name(), RULE_SCOPE, override(RULE_SCOPE).tier("mid").version(1)
                .source(PolicySource.ALERT, RULE_REASON).expiresAt(Instant.now().plus(Duration.ofHours(2))).build()));

        try (KafkaProducer<String, SpecificRecord> producer = producer(infra);
             DashboardServer server = DashboardServer.start(new HttpBinding(HttpBinding.LOOPBACK, 0, TOKEN), infra.bootstrapServers(), infra.registryUrl(), policy)) {
            records.forEach(producer::send);
            producer.flush();
            awaitRead(server, records.size() - 2, 1, 1);
            assertThat(get(server.url() + "health")).isEqualTo("UP");

            String dom = chromium.dumpDom(server.browserUrl());

            assertThat(intAttribute(dom, "body", "data-rendered-snapshots")).as("snapshots rendered").isGreaterThanOrEqualTo(1);
            assertThat(intAttribute(dom, "id=\"spend-chart\"", "data-points")).as("spend points").isGreaterThan(0);
            assertThat(intAttribute(dom, "id=\"quality-chart\"", "data-points")).as("quality points").isGreaterThan(0);
            assertThat(intAttribute(dom, "id=\"quality-tier-chart\"", "data-points")).as("role × tier points").isGreaterThan(0);
            assertThat(intAttribute(dom, "id=\"savings-chart\"", "data-points")).as("savings doughnut").isEqualTo(2);
            assertThat(intAttribute(dom, "id=\"alerts\"", "data-alerts")).isEqualTo(1);
            assertThat(dom).contains(FIRING_MESSAGE);
            assertThat(dom).containsPattern("<tr data-source=\"ALERT\"><td>" + Pattern.quote(RULE_SCOPE) + "</td>.*?"
                    + "<span class=\"badge source-ALERT\">alert</span>.*?" + Pattern.quote(RULE_REASON));
            // where the screenshot is kept: local/target/dashboard-screenshots/dashboard.png; tall enough for every panel
            chromium.screenshot(server.browserUrl(), SCREENSHOT, 1400, 1800);

            producer.send(record(Topics.ALERTS.name(), alertId,
                    alert(alertId, AlertState.RESOLVED, "role=worker/type=extract/tier=small", RESOLVED_MESSAGE, firedAt.plusSeconds(90))));
            producer.flush();
            awaitRead(server, records.size() - 2, 2, 1);

            String later = chromium.dumpDom(server.browserUrl());

            assertThat(intAttribute(later, "id=\"alerts\"", "data-alerts")).isEqualTo(2);
            assertThat(later.indexOf(RESOLVED_MESSAGE)).as("the resolution, newest first, above the firing")
                    .isPositive().isLessThan(later.indexOf(FIRING_MESSAGE));
            assertThat(later).contains("badge state-RESOLVED");
        }
    }

    /** Six windows sliding by 30 s for three roles, their role × type × tier scopes, and two tenants. */
    private static List<ProducerRecord<String, SpecificRecord>> statsRecords(Instant first) {
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant start = first.plusSeconds(30L * i);
            records.add(stats(window("role=worker", start, 180_000 + 20_000L * i, 900_000).setQualityMean(0.74 - 0.01 * i).setQualitySamples(60)));
            records.add(stats(window("role=planner", start, 150_000, 160_000).setQualityMean(0.93).setQualitySamples(12)));
            records.add(stats(window("role=critic", start, 60_000 + 10_000L * i, 200_000).setQualityMean(0.88).setQualitySamples(15)));
            records.add(stats(quality("role=worker/type=extract/tier=small", start, 0.61, 40)));
            records.add(stats(quality("role=worker/type=summarize/tier=mid", start, 0.83, 20)));
            records.add(stats(quality("role=planner/type=plan/tier=frontier", start, 0.93, 12)));
        }
        records.add(stats(window("tenant=acme", first, 310_000, 1_100_000)));
        records.add(stats(window("tenant=globex", first, 90_000, 160_000)));
        return records;
    }

    private static ProducerRecord<String, SpecificRecord> stats(dev.tierflow.schemas.CostQualityStats.Builder stats) {
        return stats(stats.build());
    }

    private static ProducerRecord<String, SpecificRecord> stats(dev.tierflow.schemas.CostQualityStats stats) {
        return record(Topics.STATS.name(), stats.getScope(), stats);
    }

    private static ProducerRecord<String, SpecificRecord> record(String topic, String key, SpecificRecord value) {
        return new ProducerRecord<>(topic, key, value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KafkaProducer<String, SpecificRecord> producer(TierFlowInfra infra) {
        // one registry serializer for the three record types: it looks the schema up from each record
        Serializer values = infra.avroSerdes().avro(SpecificRecord.class, false).serializer();
        return new KafkaProducer<>(infra.producerProps(), new StringSerializer(), (Serializer<SpecificRecord>) values);
    }

    private static void awaitRead(DashboardServer server, long stats, long alerts, long policy) {
        Awaitility.await("the dashboard read " + stats + " stats, " + alerts + " alerts, " + policy + " policy records")
                .atMost(READ_TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    Snapshot.RecordsRead read = server.data().snapshot().recordsRead();
                    assertThat(read).isEqualTo(new Snapshot.RecordsRead(stats, alerts, policy, 0));
                });
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** The integer value of an attribute of the first tag containing {@code tagMarker} ("body" or {@code id="..."}). */
    private static int intAttribute(String dom, String tagMarker, String attribute) {
        Matcher tag = Pattern.compile("<" + (tagMarker.equals("body") ? "body" : "[a-z]+") + "\\b[^>]*" + (tagMarker.equals("body") ? "" : Pattern.quote(tagMarker)) + "[^>]*>").matcher(dom);
        assertThat(tag.find()).as("a tag with " + tagMarker + " in the page").isTrue();
        Matcher value = Pattern.compile(Pattern.quote(attribute) + "=\"(\\d+)\"").matcher(tag.group());
        assertThat(value.find()).as(attribute + " on " + tag.group()).isTrue();
        return Integer.parseInt(value.group(1));
    }
}
