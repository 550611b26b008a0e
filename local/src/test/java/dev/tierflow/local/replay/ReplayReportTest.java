package dev.tierflow.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayReportTest {

    private final ReplayReport report = new ReplayReport(List.of("small", "top"), List.of(
            new StrategyResult("tierflow", 4, 1_250_000, 3.0, 3, 1, Map.of("small", 3, "top", 1)),
            new StrategyResult("uniform-frontier", 4, 5_000_000, 3.5, 4, 0, Map.of("top", 4))));

    @Test
    void theTableIsAlignedAndComparesWithUniformFrontier() {
        assertThat(report.table()).containsExactly(
                "strategy          tasks  cost USD  vs uniform-frontier  mean quality  success rate  no outcome  on small   on top",
                "tierflow              4  1.250000               25.0 %         0.750        75.0 %           1    75.0 %   25.0 %",
                "uniform-frontier      4  5.000000              100.0 %         0.875       100.0 %           0     0.0 %  100.0 %");
    }

    @Test
    void theCsvHasTheSameRowsExactly() {
        assertThat(report.csv()).isEqualTo("""
                strategy,tasks,cost_usd,cost_micros,cost_vs_uniform_frontier_pct,mean_quality,success_rate,tasks_without_outcome,finished_small,finished_top
                tierflow,4,1.250000,1250000,25.00,0.7500,0.7500,1,3,1
                uniform-frontier,4,5.000000,5000000,100.00,0.8750,1.0000,0,0,4
                """);
    }
}
