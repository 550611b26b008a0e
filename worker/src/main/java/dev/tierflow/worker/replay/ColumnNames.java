package dev.tierflow.worker.replay;

import java.util.Set;

/** Column lookups shared by both layouts. */
final class ColumnNames {

    private static final int LISTED = 12;

    private ColumnNames() {
    }

    /** The category column: the one named in the options (which must exist), else the first default present. */
    static String category(Set<String> columns, ReplayOptions options, long columnsLine) {
        if (options.categoryColumn() != null) {
            if (!columns.contains(options.categoryColumn())) {
                throw new RowProblem(columnsLine, "no category column '" + options.categoryColumn() + "' (columns: "
                        + listed(columns) + ")");
            }
            return options.categoryColumn();
        }
        return ReplayOptions.DEFAULT_CATEGORY_COLUMNS.stream().filter(columns::contains).findFirst().orElse(null);
    }

    static void require(Set<String> columns, String column, String why, long columnsLine) {
        if (!columns.contains(column)) {
            throw new RowProblem(columnsLine, "no column '" + column + "' (" + why + "); columns: " + listed(columns));
        }
    }

    /** The first few column names: a RouterBench header has dozens. */
    static String listed(Set<String> columns) {
        String shown = String.join(", ", columns.stream().limit(LISTED).toList());
        return columns.size() > LISTED ? shown + ", ... (" + columns.size() + " in all)" : shown;
    }
}
