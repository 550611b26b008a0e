package dev.tierflow.local.replay;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The strategies side by side, as an aligned table for people and as CSV with the same rows for tools. Costs
 * are compared with {@code uniform-frontier} (its cost is 100 %); shares say where tasks finished, per tier.
 */
public final class ReplayReport {

    private final List<String> tiers;
    private final List<StrategyResult> rows;
    private final long frontierMicros;

    /** @param tiers the tier names, cheapest first */
    public ReplayReport(List<String> tiers, List<StrategyResult> rows) {
        this.tiers = List.copyOf(tiers);
        this.rows = List.copyOf(rows);
        this.frontierMicros = rows.stream().filter(r -> r.strategy().equals(Baselines.UNIFORM_FRONTIER)).findFirst()
                .map(StrategyResult::costMicros).orElse(0L);
    }

    public List<String> table() {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("strategy", "tasks", "cost USD", "vs uniform-frontier", "mean quality",
                "success rate", "no outcome"));
        tiers.forEach(tier -> header.add("on " + tier));
        cells.add(header);
        for (StrategyResult row : rows) {
            List<String> line = new ArrayList<>(List.of(row.strategy(), Integer.toString(row.tasks()),
                    String.format(Locale.ROOT, "%,.6f", row.costMicros() / 1e6), percentOfFrontier(row, "%.1f %%"),
                    String.format(Locale.ROOT, "%.3f", row.meanQuality()), String.format(Locale.ROOT, "%.1f %%", 100 * row.successRate()),
                    Integer.toString(row.withoutOutcome())));
            tiers.forEach(tier -> line.add(String.format(Locale.ROOT, "%.1f %%", row.tasks() == 0 ? 0.0 : 100.0 * row.finishedOn(tier) / row.tasks())));
            cells.add(line);
        }
        int[] widths = new int[header.size()];
        cells.forEach(line -> {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        });
        List<String> lines = new ArrayList<>();
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder(String.format("%-" + widths[0] + "s", line.get(0)));
            for (int i = 1; i < line.size(); i++) {
                text.append("  ").append(String.format("%" + widths[i] + "s", line.get(i)));
            }
            lines.add(text.toString());
        }
        return lines;
    }

    /** The same rows, exact: cost in USD to the micro-dollar and in micro-dollars, tasks finished per tier as counts. */
    public String csv() {
        StringBuilder csv = new StringBuilder("strategy,tasks,cost_usd,cost_micros,cost_vs_uniform_frontier_pct,mean_quality,success_rate,"
                + "tasks_without_outcome");
        tiers.forEach(tier -> csv.append(",finished_").append(tier));
        csv.append('\n');
        for (StrategyResult row : rows) {
            csv.append(row.strategy()).append(',').append(row.tasks()).append(',')
                    .append(BigDecimal.valueOf(row.costMicros(), 6).toPlainString()).append(',').append(row.costMicros()).append(',')
                    .append(percentOfFrontier(row, "%.2f")).append(',')
                    .append(String.format(Locale.ROOT, "%.4f,%.4f", row.meanQuality(), row.successRate())).append(',')
                    .append(row.withoutOutcome());
            tiers.forEach(tier -> csv.append(',').append(row.finishedOn(tier)));
            csv.append('\n');
        }
        return csv.toString();
    }

    private String percentOfFrontier(StrategyResult row, String format) {
        return frontierMicros == 0 ? "" : String.format(Locale.ROOT, format, 100.0 * row.costMicros() / frontierMicros);
    }
}
