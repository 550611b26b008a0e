package dev.tierflow.worker.check;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads text as exactly one JSON value. Strict on purpose: text after the value is refused (a model that
 * appends a remark has not produced JSON), and so is an object with the same key twice (readers disagree
 * on which one counts, so a check could pass on a value the consumer never sees).
 */
final class JsonOutput {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonOutput() {
    }

    /** The JSON value, or why the text is not one, phrased for {@code subject} ("output", "its schema"). */
    static Parsed<JsonNode> parse(String text, String subject) {
        if (text.isBlank()) {
            return Parsed.invalid(subject + " is not JSON: it is empty");
        }
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonNode json = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                return Parsed.invalid(subject + " is not JSON: more text follows the JSON value" + at(parser.currentTokenLocation()));
            }
            return Parsed.of(json);
        } catch (JsonProcessingException e) {
            return Parsed.invalid(subject + " is not JSON: " + firstSentence(e.getOriginalMessage()) + at(e.getLocation()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a string", e); // a String source does no I/O
        }
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson appends internal context (source descriptions, marker positions) after the sentence itself. */
    private static String firstSentence(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        int context = line.indexOf(" (start marker at");
        return context >= 0 ? line.substring(0, context) : line;
    }
}
