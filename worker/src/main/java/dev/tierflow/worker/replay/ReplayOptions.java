package dev.tierflow.worker.replay;

import java.util.List;

/**
 * How to read a replay file. Every part may be left null to detect or default it.
 *
 * @param layout WIDE or LONG; null: LONG when the columns include {@code model}, WIDE when some column has
 *               the form {@code <model>|<field>}
 * @param fileType CSV or JSONL; null: from the extension ({@code .csv}, {@code .jsonl}/{@code .ndjson}), else
 *                 JSONL when the first character is <code>{</code>
 * @param idColumn the prompt id column; null: {@code sample_id} (wide), {@code prompt_id} (long)
 * @param categoryColumn the category column; null: {@code eval_name} or else {@code category} when present;
 *                       when named explicitly it must exist
 */
public record ReplayOptions(ReplayLayout layout, ReplayFileType fileType, String idColumn, String categoryColumn) {

    static final List<String> DEFAULT_CATEGORY_COLUMNS = List.of("eval_name", "category");

    /** Everything detected or defaulted. */
    public static ReplayOptions detect() {
        return new ReplayOptions(null, null, null, null);
    }

    public ReplayOptions withLayout(ReplayLayout newLayout) {
        return new ReplayOptions(newLayout, fileType, idColumn, categoryColumn);
    }

    public ReplayOptions withFileType(ReplayFileType newFileType) {
        return new ReplayOptions(layout, newFileType, idColumn, categoryColumn);
    }

    public ReplayOptions withIdColumn(String newIdColumn) {
        return new ReplayOptions(layout, fileType, newIdColumn, categoryColumn);
    }

    public ReplayOptions withCategoryColumn(String newCategoryColumn) {
        return new ReplayOptions(layout, fileType, idColumn, newCategoryColumn);
    }
}
