package dev.tierflow.local.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for the terminal: a header row and rows of cells, each column as wide as its widest cell.
 * Numbers are right-aligned so their digits line up; everything else is left-aligned; null shows as "-".
 */
public final class TextTable {

    private static final String GAP = "  ";
    private static final String NONE = "-";

    private final List<String> headers;
    private final List<Object[]> rows = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; it must have one cell per header. */
    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + headers.size() + " cells expected, got " + Arrays.toString(cells));
        }
        rows.add(cells.clone());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header line and one line per row, each prefixed with {@code indent}, trailing spaces trimmed. */
    public List<String> lines(String indent) {
        int[] widths = headers.stream().mapToInt(String::length).toArray();
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], text(row[i]).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(indent, headers.toArray(), widths));
        rows.forEach(row -> lines.add(line(indent, row, widths)));
        return lines;
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines("")) + System.lineSeparator();
    }

    private static String line(String indent, Object[] cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(GAP);
            }
            String text = text(cells[i]);
            String padding = " ".repeat(widths[i] - text.length());
            line.append(cells[i] instanceof Number ? padding + text : text + padding);
        }
        return line.toString().stripTrailing();
    }

    private static String text(Object cell) {
        return cell == null ? NONE : cell.toString();
    }
}
