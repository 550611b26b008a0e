package dev.tierflow.local.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.local.LatestRecords;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.CostQualityStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static Alert alert(String id, AlertState state, Instant at) {
        return Alert.newBuilder().setAlertId(id).setKind(AlertKind.COST_CEILING).setState(state).setScope("role=planner")
                .setObserved(3.1).setThreshold(2.5).setMessage(id + " " + state).setAt(at).build();
    }

    private static CostQualityStats window(String scope, Instant start, long costMicros, Double quality) {
        return CostQualityStats.newBuilder().setScope(scope).setWindowStart(start).setWindowEnd(start.plusSeconds(300)).setCount(4)
                .setInputTokens(100).setOutputTokens(10).setCostMicros(costMicros).setQualityMean(quality).setQualitySamples(quality == null ? 0 : 4)
                .build();
    }

    @Test
    void showsTheNewestWindowPerRoleAndOnlyAlertsWhoseLatestStateIsFiring() {
        LatestRecords latest = new LatestRecords();
        latest.onStats(window("role=worker", T0.plusSeconds(30), 250_000, 0.81));
        latest.onStats(window("role=worker", T0, 999_999, 0.10)); // an older window arriving late does not replace the newer one
        latest.onStats(window("role=worker/type=extract", T0, 5, 0.5)); // not a role scope
        latest.onAlert(alert("cost planner", AlertState.FIRING, T0));
        latest.onAlert(alert("cost critic", AlertState.FIRING, T0));
        latest.onAlert(alert("cost critic", AlertState.RESOLVED, T0.plusSeconds(60)));
        ClusterStatus cluster = new ClusterStatus("abc", 1,
                List.of(new ClusterStatus.TopicRow("alerts", 3, 12L), new ClusterStatus.TopicRow("otlp_spans", null, null)),
                List.of(new ClusterStatus.GroupRow("tierflow-router", "Stable", 3, 7)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new StatusReport(new PrintStream(out, true, StandardCharsets.UTF_8))
                .print("localhost:9092", cluster, new RegistryStatus("http://r/apis/registry/v3", 9L, null), latest);

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("broker     localhost:9092             cluster abc, 1 broker(s)")
                .contains("registry   http://r/apis/registry/v3  9 artifact(s)")
                .containsPattern("alerts\\s+3\\s+12")
                .containsPattern("otlp_spans\\s+missing\\s+-")
                .containsPattern("tierflow-router\\s+Stable\\s+3\\s+7")
                .containsPattern("role=worker\\s+2026-11-23T10:05:30Z\\s+4\\s+0.2500\\s+3.00\\s+0.810\\s+4")
                .doesNotContain("role=worker/type=extract")
                .contains("cost planner FIRING").doesNotContain("cost critic")
                .contains("Live overrides (compacted policy topic)" + System.lineSeparator() + "  (none)");
    }
}
