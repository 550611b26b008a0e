package dev.tierflow.worker.replay;

import java.util.Map;
import java.util.Set;

/**
 * One record of a replay file, CSV or JSONL alike.
 *
 * @param line the 1-based line it starts on
 * @param columnsLine the line that named its columns: a CSV file's header, a JSONL record's own line
 * @param columns the column names it has (a CSV file's header; a JSONL record's keys)
 * @param cells its present values by column name: empty cells and JSON nulls are left out
 */
record ReplayRow(long line, long columnsLine, Set<String> columns, Map<String, String> cells) {

    String cell(String column) {
        return cells.get(column);
    }

    RowProblem problem(String message) {
        return new RowProblem(line, message);
    }
}
