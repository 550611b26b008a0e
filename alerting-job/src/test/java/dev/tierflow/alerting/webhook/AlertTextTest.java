package dev.tierflow.alerting.webhook;

import static dev.tierflow.alerting.webhook.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import org.junit.jupiter.api.Test;

class AlertTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFiringAlertSaysItsStateKindScopeMessageAndAction() {
        var alert = alert("a1", AlertKind.QUALITY_FLOOR, AlertState.FIRING, "role=critic",
                "quality mean 0.71 under the floor 0.80", "role=critic pinned to tier mid (policy v3)");

        assertThat(AlertText.line(alert)).isEqualTo(
                "[FIRING] QUALITY_FLOOR role=critic: quality mean 0.71 under the floor 0.80 (action: role=critic pinned to tier mid (policy v3))");
    }

    @Test
    void withoutAnActionThereIsNoActionPart() {
        var alert = alert("a2", AlertKind.COST_CEILING, AlertState.RESOLVED, "tenant=acme", "spend back under the ceiling", null);

        assertThat(AlertText.line(alert)).isEqualTo("[RESOLVED] COST_CEILING tenant=acme: spend back under the ceiling");
        assertThat(AlertText.line(alert("a3", AlertKind.OTHER, AlertState.INFO, "all", "note", "  ")))
                .isEqualTo("[INFO] OTHER all: note");
    }

    @Test
    void multiLineMessagesBecomeOneLine() {
        var alert = alert("a4", AlertKind.DLQ_RATE, AlertState.FIRING, "topic=tasks.dlq", "12 dead letters\n  in 5 min\r\nlook at the router", null);

        assertThat(AlertText.line(alert)).isEqualTo("[FIRING] DLQ_RATE topic=tasks.dlq: 12 dead letters in 5 min look at the router");
    }

    @Test
    void theBodyIsJsonWithTheLineAsTextEscapedTheWaySlackAsks() throws Exception {
        var alert = alert("a5", AlertKind.QUALITY_FLOOR, AlertState.FIRING, "role=critic", "mean 0.71 < floor 0.80 & \"falling\"", null);

        JsonNode body = JSON.readTree(AlertText.body(alert));

        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("text").asText())
                .isEqualTo("[FIRING] QUALITY_FLOOR role=critic: mean 0.71 &lt; floor 0.80 &amp; \"falling\"");
    }
}
