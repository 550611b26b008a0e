package dev.tierflow.worker.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads CSV with a header row through Jackson's CSV module; quoted cells may span lines. */
final class CsvRowReader implements RowReader {

    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectReader ROWS = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY);
    private static final long HEADER_LINE = 1;

    private final JsonParser parser;
    private final MappingIterator<List<String>> records;
    private List<String> header;
    private Set<String> columns;

    CsvRowReader(Reader reader) throws IOException {
        this.parser = CSV.getFactory().createParser(reader);
        this.records = ROWS.readValues(parser);
    }

    @Override
    public ReplayRow next() throws IOException {
        if (header == null) {
            readHeader();
        }
        while (true) {
            long line = parser.currentLocation().getLineNr(); // where the next record starts
            List<String> record = read(line);
            if (record == null) {
                return null;
            }
            if (isBlank(record)) {
                continue;
            }
            if (record.size() != header.size()) {
                throw new RowProblem(line, "has " + record.size() + " cells, the header has " + header.size());
            }
            Map<String, String> cells = new HashMap<>();
            for (int i = 0; i < record.size(); i++) {
                if (!record.get(i).isEmpty()) { // an empty cell is a value not recorded
                    cells.put(header.get(i), record.get(i));
                }
            }
            return new ReplayRow(line, HEADER_LINE, columns, cells);
        }
    }

    private void readHeader() throws IOException {
        List<String> names = read(HEADER_LINE);
        if (names == null || isBlank(names)) {
            throw new RowProblem(HEADER_LINE, "is empty: expected a header row naming the columns");
        }
        names = new ArrayList<>(names);
        names.set(0, names.get(0).replace("\uFEFF", "")); // a byte order mark is not part of the first name
        Set<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            if (!unique.add(name)) {
                throw new RowProblem(HEADER_LINE, "column '" + name + "' appears twice in the header");
            }
        }
        header = List.copyOf(names);
        columns = Collections.unmodifiableSet(unique);
    }

    private List<String> read(long line) throws IOException {
        try {
            return records.hasNextValue() ? records.nextValue() : null;
        } catch (JsonProcessingException e) {
            throw new RowProblem(line, "not readable as CSV: " + e.getOriginalMessage());
        }
    }

    private static boolean isBlank(List<String> record) {
        return record.isEmpty() || (record.size() == 1 && record.get(0).isBlank());
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
