package dev.tierflow.worker.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads a replay file into a {@link ReplayIndex}, eagerly: a file with any problem is refused at start-up
 * with its line number rather than failing tasks one by one later. Reads CSV and JSONL, wide and long
 * layouts (see {@link ReplayLayout}), detected unless the {@link ReplayOptions} name them.
 */
public final class ReplayLoader {

    /** How far ahead the file type sniffing may look for the first non-blank character. */
    private static final int SNIFF_LIMIT = 8192;

    private ReplayLoader() {
    }

    public static ReplayIndex load(Path file, ReplayOptions options) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString(), options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads replay data from {@code reader}; {@code source} names it in messages and, by its extension, may
     * give the file type.
     */
    public static ReplayIndex read(Reader reader, String source, ReplayOptions options) throws IOException {
        BufferedReader buffered = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        ReplayFileType type = options.fileType() != null ? options.fileType() : fileType(source, buffered);
        try (RowReader rows = type == ReplayFileType.CSV ? new CsvRowReader(buffered) : new JsonlRowReader(buffered)) {
            ReplayRow first = rows.next();
            if (first == null) {
                throw new MalformedReplayFileException(source, 0, "has no records");
            }
            LayoutReader layout = layoutReader(first, options);
            ReplayIndex.Builder index = new ReplayIndex.Builder();
            for (ReplayRow row = first; row != null; row = rows.next()) {
                layout.read(row, index);
            }
            return index.build();
        } catch (RowProblem problem) {
            throw new MalformedReplayFileException(source, problem.line(), problem.getMessage());
        }
    }

    private static LayoutReader layoutReader(ReplayRow first, ReplayOptions options) {
        ReplayLayout layout = options.layout();
        if (layout == null) {
            if (LongLayoutReader.looksLong(first.columns())) {
                layout = ReplayLayout.LONG;
            } else if (WideLayoutReader.looksWide(first.columns())) {
                layout = ReplayLayout.WIDE;
            } else {
                throw new RowProblem(first.columnsLine(), "cannot tell the layout: a long file has a column 'model', "
                        + "a wide file per-model columns such as '<model>|total_cost'; columns: "
                        + ColumnNames.listed(first.columns()));
            }
        }
        return layout == ReplayLayout.WIDE ? new WideLayoutReader(options) : new LongLayoutReader(options);
    }

    private static ReplayFileType fileType(String source, BufferedReader reader) throws IOException {
        String name = source.toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return ReplayFileType.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return ReplayFileType.JSONL;
        }
        reader.mark(SNIFF_LIMIT);
        try {
            for (int i = 0; i < SNIFF_LIMIT; i++) {
                int c = reader.read();
                if (c < 0 || !(Character.isWhitespace(c) || c == '\uFEFF')) {
                    return c == '{' ? ReplayFileType.JSONL : ReplayFileType.CSV;
                }
            }
            return ReplayFileType.CSV;
        } finally {
            reader.reset();
        }
    }
}
