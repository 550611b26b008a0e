package dev.tierflow.worker.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the wide layout: one row per prompt, per model a score column {@code <model>} and columns
 * {@code <model>|<field>} (see {@link ReplayLayout#WIDE}). A model whose score, cost and token cells are all
 * empty on a row has no outcome for that prompt.
 */
final class WideLayoutReader implements LayoutReader {

    static final String DEFAULT_ID_COLUMN = "sample_id";
    static final String SEPARATOR = "|";
    static final String COST = "total_cost";
    static final String INPUT_TOKENS = "input_tokens";
    static final String OUTPUT_TOKENS = "output_tokens";
    static final String RESPONSE = "model_response";
    static final String LATENCY = "latency_ms";
    private static final Set<String> FIELDS = Set.of(COST, INPUT_TOKENS, OUTPUT_TOKENS, RESPONSE, LATENCY);

    /** What a set of column names means; CSV rows share one, JSONL rows may each have their own. */
    private record Columns(String id, String category, List<String> models) {
    }

    private final ReplayOptions options;
    private final String idColumn;
    private final Map<Set<String>, Columns> resolved = new HashMap<>();
    private final Map<String, Long> promptLines = new HashMap<>();

    WideLayoutReader(ReplayOptions options) {
        this.options = options;
        this.idColumn = options.idColumn() != null ? options.idColumn() : DEFAULT_ID_COLUMN;
    }

    /** Whether these columns look like the wide layout: some column names a model field. */
    static boolean looksWide(Set<String> columns) {
        return columns.stream().anyMatch(c -> c.contains(SEPARATOR));
    }

    @Override
    public void read(ReplayRow row, ReplayIndex.Builder index) {
        Columns columns = resolved.computeIfAbsent(row.columns(), names -> resolve(names, row.columnsLine()));
        String promptId = row.cell(columns.id());
        if (promptId == null) {
            throw row.problem("no prompt id in column '" + columns.id() + "'");
        }
        Long earlier = promptLines.putIfAbsent(promptId, row.line());
        if (earlier != null) {
            throw row.problem("prompt '" + promptId + "' was already recorded on line " + earlier);
        }
        String category = columns.category() == null ? null : row.cell(columns.category());
        index.prompt(promptId, category);
        for (String model : columns.models()) {
            Double score = CellValues.score(row, model);
            Long cost = CellValues.costMicros(row, field(model, COST));
            Long input = CellValues.count(row, field(model, INPUT_TOKENS));
            Long output = CellValues.count(row, field(model, OUTPUT_TOKENS));
            if (score != null || cost != null || input != null || output != null) {
                index.add(row, promptId, category, new RecordedOutcome(model, score, cost, input, output,
                        row.cell(field(model, RESPONSE)), CellValues.count(row, field(model, LATENCY))));
            }
        }
    }

    private Columns resolve(Set<String> names, long columnsLine) {
        ColumnNames.require(names, idColumn, "the prompt id", columnsLine);
        Set<String> models = new LinkedHashSet<>();
        for (String name : names) {
            int separator = name.lastIndexOf(SEPARATOR);
            if (separator < 0) {
                continue;
            }
            String suffix = name.substring(separator + 1);
            if (!FIELDS.contains(suffix)) {
                throw new RowProblem(columnsLine, "column '" + name + "': unknown model field '" + suffix
                        + "' (known: " + COST + ", " + INPUT_TOKENS + ", " + OUTPUT_TOKENS + ", " + RESPONSE + ", " + LATENCY + ")");
            }
            models.add(name.substring(0, separator));
        }
        if (models.isEmpty()) {
            throw new RowProblem(columnsLine, "no model columns: expected per model a score column '<model>' and '<model>|"
                    + COST + "' or '<model>|" + INPUT_TOKENS + "', '<model>|" + OUTPUT_TOKENS + "'");
        }
        for (String model : models) {
            ColumnNames.require(names, model, "the score of model '" + model + "'", columnsLine);
            if (!names.contains(field(model, COST)) && !names.contains(field(model, INPUT_TOKENS))
                    && !names.contains(field(model, OUTPUT_TOKENS))) {
                throw new RowProblem(columnsLine, "model '" + model + "' needs a cost column '" + field(model, COST)
                        + "' or token columns '" + field(model, INPUT_TOKENS) + "', '" + field(model, OUTPUT_TOKENS) + "'");
            }
        }
        return new Columns(idColumn, ColumnNames.category(names, options, columnsLine), new ArrayList<>(models));
    }

    private static String field(String model, String field) {
        return model + SEPARATOR + field;
    }
}
