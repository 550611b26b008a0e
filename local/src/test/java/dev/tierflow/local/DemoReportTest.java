package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.local.dashboard.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    @Test
    void anAlertCountsAsFiringUntilItsResolution() {
        List<Snapshot.AlertRow> newestFirst = List.of(
                row("QUALITY_FLOOR/role=worker/1", "RESOLVED"),
                row("QUALITY_FLOOR/role=worker/1/action", "INFO"),
                row("COST_CEILING/role=planner/2", "FIRING"),
                row("QUALITY_FLOOR/role=worker/1", "FIRING"));

        assertThat(DemoReport.stillFiring(newestFirst)).isEqualTo(1);
    }

    private static Snapshot.AlertRow row(String id, String state) {
        return new Snapshot.AlertRow(id, id.substring(0, id.indexOf('/')), state, "role=worker", 0, 0, null, null, "m", 0);
    }
}
