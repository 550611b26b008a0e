package dev.tierflow.local.dashboard;

import static dev.tierflow.local.dashboard.DashboardRecords.alert;
import static dev.tierflow.local.dashboard.DashboardRecords.quality;
import static dev.tierflow.local.dashboard.DashboardRecords.window;
import static dev.tierflow.testing.PolicyRuleBuilder.override;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.PolicySource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model fed by hand: no Kafka. Windows of 5 min sliding by 30 s, as the attribution job's defaults. */
class DashboardDataTest {

    private static final Instant T = Instant.parse("2026-01-05T09:00:00Z");
    private static final Instant NOW = T.plusSeconds(3_600);
    private static final RoutingPolicy POLICY = PolicyLoader.load(Path.of("../examples/policy.yaml"));

    private final DashboardData data = new DashboardData(POLICY, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void savingsSumOnlyWindowsThatTileTimeAndARefiredWindowReplacesItsTotals() {
        data.onStats(window("tenant=acme", T, 100_000, 400_000).build());
        // overlaps the first and the next tiling window: counted in neither sum
        data.onStats(window("tenant=acme", T.plusSeconds(30), 999_000, 999_000).build());
        data.onStats(window("tenant=acme", T.plusSeconds(300), 200_000, 600_000).build());
        data.onStats(window("tenant=globex", T, 50_000, 100_000).build());
        // the first window fires again after a late span: its new totals replace the old ones
        data.onStats(window("tenant=acme", T, 150_000, 500_000).build());
        // role scopes count the same spans again: not part of the sum
        data.onStats(window("role=worker", T, 700_000, 900_000).build());

        Snapshot.Savings savings = data.snapshot().savings();

        assertThat(savings.windows()).isEqualTo(3);
        assertThat(savings.spentMicros()).isEqualTo(150_000 + 200_000 + 50_000);
        assertThat(savings.frontierMicros()).isEqualTo(500_000 + 600_000 + 100_000);
        assertThat(savings.savedMicros()).isEqualTo(1_200_000 - 400_000);
        assertThat(savings.savedPercent()).isCloseTo(100.0 * 800_000 / 1_200_000, within(1e-9));
    }

    @Test
    void noSavedPercentBeforeAnyFrontierCost() {
        assertThat(data.snapshot().savings().savedPercent()).isNull();
    }

    @Test
    void spendIsEachWindowsRatePerHourAlignedOnWindowEndsAcrossRoles() {
        data.onStats(window("role=worker", T, 500_000, 0).build());
        data.onStats(window("role=worker", T.plusSeconds(30), 1_000_000, 0).build());
        data.onStats(window("role=planner", T.plusSeconds(30), 250_000, 0).build());
        data.onStats(window("role=worker/type=extract/tier=small", T, 123, 0).build());

        Snapshot.Spend spend = data.snapshot().spend();

        assertThat(spend.windowSizeMs()).isEqualTo(300_000);
        assertThat(spend.windowEnds()).containsExactly(T.plusSeconds(300).toEpochMilli(), T.plusSeconds(330).toEpochMilli());
        assertThat(spend.roles()).extracting(Snapshot.RoleSpend::role).containsExactly("planner", "worker");
        // $0.25 over 5 minutes is $3/h; a role without a window at an end has a gap there
        assertThat(spend.roles().get(0).usdPerHour()).containsExactly(null, 3.0);
        assertThat(spend.roles().get(1).usdPerHour()).containsExactly(6.0, 12.0);
    }

    @Test
    void spendKeepsTheLatestWindowsOnly() {
        for (int i = 0; i < DashboardData.SPEND_POINTS + 5; i++) {
            data.onStats(window("role=worker", T.plusSeconds(30L * i), 1_000, 0).build());
        }
        Snapshot.Spend spend = data.snapshot().spend();
        assertThat(spend.windowEnds()).hasSize(DashboardData.SPEND_POINTS)
                .endsWith(T.plusSeconds(30L * (DashboardData.SPEND_POINTS + 4) + 300).toEpochMilli());
    }

    @Test
    void qualityIsTheLatestWindowAgainstTheMostSpecificFloor() {
        data.onStats(quality("role=worker", T.plusSeconds(30), 0.65, 25));
        // an older window firing again after late data does not replace the newer one
        data.onStats(quality("role=worker", T, 0.95, 25));
        data.onStats(quality("role=planner", T, 0.95, 3));
        data.onStats(quality("role=worker/type=extract/tier=small", T, 0.78, 40));
        data.onStats(quality("role=writer", T, 0.5, 40));

        Snapshot.Quality quality = data.snapshot().quality();

        assertThat(quality.roles()).extracting(Snapshot.QualityRow::scope).containsExactly("role=planner", "role=worker", "role=writer");
        Snapshot.QualityRow planner = quality.roles().get(0);
        assertThat(planner.floor()).isEqualTo(0.90);
        assertThat(planner.belowFloor()).as("3 samples: below minSamples 10, not judged").isFalse();
        Snapshot.QualityRow worker = quality.roles().get(1);
        assertThat(worker.mean()).isEqualTo(0.65);
        assertThat(worker.floor()).isEqualTo(0.70);
        assertThat(worker.belowFloor()).isTrue();
        assertThat(quality.roles().get(2).floor()).as("no floor for writer").isNull();
        Snapshot.QualityRow small = quality.roleTypeTiers().get(0);
        assertThat(small.label()).isEqualTo("worker · extract · small");
        assertThat(small.floor()).as("role=worker/type=*/tier=small beats role=worker").isEqualTo(0.80);
        assertThat(small.belowFloor()).isTrue();
    }

    @Test
    void alertsAreNewestFirstAndCapped() {
        data.onAlert(alert("a1", AlertState.FIRING, "role=worker", "worker below floor", T.plusSeconds(10)));
        data.onAlert(alert("a2", AlertState.FIRING, "role=critic", "critic below floor", T.plusSeconds(20)));
        // from another partition, read later but older
        data.onAlert(alert("a0", AlertState.INFO, "role=planner", "old notice", T));
        data.onAlert(alert("a1", AlertState.RESOLVED, "role=worker", "worker back above floor", T.plusSeconds(30)));

        assertThat(data.snapshot().alerts()).extracting(a -> a.alertId() + " " + a.state())
                .containsExactly("a1 RESOLVED", "a2 FIRING", "a1 FIRING", "a0 INFO");

        for (int i = 0; i < DashboardData.ALERTS_KEPT; i++) {
            data.onAlert(alert("b" + i, AlertState.INFO, "role=worker", "notice " + i, T.plusSeconds(100 + i)));
        }
        assertThat(data.snapshot().alerts()).hasSize(DashboardData.ALERTS_KEPT).first()
                .extracting(Snapshot.AlertRow::alertId).isEqualTo("b" + (DashboardData.ALERTS_KEPT - 1));
    }

    @Test
    void policyShowsTheFileRulesWithTheirSource() {
        Snapshot.Policy policy = data.snapshot().policy();

        assertThat(policy.fileVersion()).isEqualTo(POLICY.version());
        assertThat(policy.defaultTier()).isEqualTo("mid");
        assertThat(policy.rules()).extracting(r -> r.scope() + " " + r.tier() + " " + r.source()).containsExactly(
                "role=file-ops small FILE", "role=planner frontier FILE", "role=reviewer small FILE", "role=worker mid FILE",
                "tenant=acme-health mid FILE", "* mid FILE");
        Snapshot.PolicyRow pin = rule(policy, "tenant=acme-health");
        assertThat(pin.pinned()).isTrue();
        assertThat(pin.model()).isEqualTo("claude-sonnet-4-5-eu");
    }

    @Test
    void liveRulesOverrideTheFileUntilATombstoneOrTheirExpiry() {
        data.onPolicy("role=worker", override("role=worker").tier("frontier").version(3)
                .source(PolicySource.ALERT, "quality below floor").expiresAt(NOW.plusSeconds(600)).build());
        data.onPolicy("role=critic", override("role=critic").tier("small").source(PolicySource.OPERATOR, "frozen by ops").build());
        data.onPolicy("role=planner", override("role=planner").tier("mid").source(PolicySource.ALERT, "expired demotion")
                .expiresAt(NOW.minusSeconds(1)).build());
        data.onPolicy("tenant=acme-health", override("tenant=acme-health").tier("small").build());

        Snapshot.Policy policy = data.snapshot().policy();

        Snapshot.PolicyRow worker = rule(policy, "role=worker");
        assertThat(worker.source()).isEqualTo("ALERT");
        assertThat(worker.tier()).isEqualTo("frontier");
        assertThat(worker.overrides()).isEqualTo("mid");
        assertThat(worker.version()).isEqualTo(3);
        assertThat(worker.reason()).isEqualTo("quality below floor");
        assertThat(worker.expiresAt()).isEqualTo(NOW.plusSeconds(600).toEpochMilli());
        Snapshot.PolicyRow critic = rule(policy, "role=critic");
        assertThat(critic.source()).isEqualTo("OPERATOR");
        assertThat(critic.overrides()).isNull();
        assertThat(rule(policy, "role=planner").source()).as("expired: the file's rule again").isEqualTo("FILE");
        assertThat(rule(policy, "tenant=acme-health").source()).as("a pin wins over live rules").isEqualTo("FILE");

        data.onPolicy("role=worker", null);
        data.onPolicy("role=critic", null);

        Snapshot.Policy after = data.snapshot().policy();
        assertThat(rule(after, "role=worker").source()).isEqualTo("FILE");
        assertThat(rule(after, "role=worker").tier()).isEqualTo("mid");
        assertThat(after.rules()).extracting(Snapshot.PolicyRow::scope).doesNotContain("role=critic");
        assertThat(data.snapshot().recordsRead().policy()).isEqualTo(6);
    }

    @Test
    void snapshotSerializesToTheDocumentedJson() throws Exception {
        data.onStats(window("role=worker", T, 500_000, 900_000).build());
        data.onAlert(alert("a1", AlertState.FIRING, "role=worker", "worker below floor", T));

        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsBytes(data.snapshot()));

        assertThat(json.get("generatedAt").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(fieldNames(json)).containsExactly("generatedAt", "recordsRead", "spend", "quality", "savings", "alerts", "policy");
        assertThat(json.at("/spend/roles/0/usdPerHour/0").asDouble()).isEqualTo(6.0);
        assertThat(json.at("/alerts/0/message").asText()).isEqualTo("worker below floor");
        assertThat(json.at("/policy/rules/0/source").asText()).isEqualTo("FILE");
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Snapshot.PolicyRow rule(Snapshot.Policy policy, String scope) {
        return policy.rules().stream().filter(r -> r.scope().equals(scope)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule for " + scope + " in " + policy.rules()));
    }
}
