package dev.tierflow.worker.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the long layout: one row per prompt and model (see {@link ReplayLayout#LONG}). A row whose score,
 * cost and token cells are all empty makes its prompt known but records no outcome.
 */
final class LongLayoutReader implements LayoutReader {

    static final String DEFAULT_ID_COLUMN = "prompt_id";
    static final String MODEL = "model";
    static final String SCORE = "score";
    static final String COST = "cost_usd";
    static final String INPUT_TOKENS = "input_tokens";
    static final String OUTPUT_TOKENS = "output_tokens";
    static final String RESPONSE = "response";
    static final String LATENCY = "latency_ms";

    private record Columns(String id, String category) {
    }

    private final ReplayOptions options;
    private final String idColumn;
    private final Map<Set<String>, Columns> resolved = new HashMap<>();

    LongLayoutReader(ReplayOptions options) {
        this.options = options;
        this.idColumn = options.idColumn() != null ? options.idColumn() : DEFAULT_ID_COLUMN;
    }

    /** Whether these columns look like the long layout: a model column. */
    static boolean looksLong(Set<String> columns) {
        return columns.contains(MODEL);
    }

    @Override
    public void read(ReplayRow row, ReplayIndex.Builder index) {
        Columns columns = resolved.computeIfAbsent(row.columns(), names -> resolve(names, row.columnsLine()));
        String promptId = row.cell(columns.id());
        if (promptId == null) {
            throw row.problem("no prompt id in column '" + columns.id() + "'");
        }
        String model = row.cell(MODEL);
        if (model == null) {
            throw row.problem("no model in column '" + MODEL + "'");
        }
        String category = columns.category() == null ? null : row.cell(columns.category());
        Double score = CellValues.score(row, SCORE);
        Long cost = CellValues.costMicros(row, COST);
        Long input = CellValues.count(row, INPUT_TOKENS);
        Long output = CellValues.count(row, OUTPUT_TOKENS);
        if (score == null && cost == null && input == null && output == null) {
            index.prompt(promptId, category);
            return;
        }
        index.add(row, promptId, category, new RecordedOutcome(model, score, cost, input, output, row.cell(RESPONSE),
                CellValues.count(row, LATENCY)));
    }

    private Columns resolve(Set<String> names, long columnsLine) {
        ColumnNames.require(names, idColumn, "the prompt id", columnsLine);
        ColumnNames.require(names, MODEL, "the model", columnsLine);
        ColumnNames.require(names, SCORE, "the score", columnsLine);
        if (!names.contains(COST) && !names.contains(INPUT_TOKENS) && !names.contains(OUTPUT_TOKENS)) {
            throw new RowProblem(columnsLine, "needs a cost column '" + COST + "' or token columns '" + INPUT_TOKENS
                    + "', '" + OUTPUT_TOKENS + "'");
        }
        return new Columns(idColumn, ColumnNames.category(names, options, columnsLine));
    }
}
