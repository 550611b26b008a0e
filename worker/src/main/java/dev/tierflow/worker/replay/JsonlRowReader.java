package dev.tierflow.worker.replay;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads one JSON object per line; values must be text, numbers, booleans or null. */
final class JsonlRowReader implements RowReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // costs keep their decimal digits exactly
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python's json.dumps writes a missing float as NaN
            .build();

    private final BufferedReader reader;
    private long line;

    JsonlRowReader(BufferedReader reader) {
        this.reader = reader;
    }

    @Override
    public ReplayRow next() throws IOException {
        String text;
        do {
            text = reader.readLine();
            if (text == null) {
                return null;
            }
            line++;
            if (line == 1) {
                text = text.replace("\uFEFF", ""); // a byte order mark is not part of the first record
            }
        } while (text.isBlank());
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new RowProblem(line, "not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new RowProblem(line, "is not a JSON object");
        }
        Set<String> columns = new LinkedHashSet<>();
        Map<String, String> cells = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            columns.add(field.getKey());
            String value = scalar(field.getKey(), field.getValue());
            if (value != null) {
                cells.put(field.getKey(), value);
            }
        }
        return new ReplayRow(line, line, columns, cells);
    }

    private String scalar(String field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isBigDecimal()) {
            return value.decimalValue().toPlainString();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        throw new RowProblem(line, "field '" + field + "' must be a text, a number or null, was " + value.getNodeType());
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
