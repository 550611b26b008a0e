package dev.tierflow.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the YAML files people write into their document records, strictly: an unknown field (a typo),
 * a key given twice, or a value of the wrong kind is a problem named by its field path, never ignored.
 * Semantic checks (references, ranges) are the caller's; this covers everything before them.
 */
public final class YamlFiles {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // the same key twice with two values is a mistake, not "the last one wins"
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlFiles() {
    }

    /** The file's text; a file that cannot be read is an I/O error naming it. */
    public static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The document, or null when the text holds no document (empty, or only comments): whether that is
     * an error or means "all defaults" is the caller's to say.
     *
     * @param invalid makes the exception to throw from the problems (a subclass of {@link InvalidConfigException})
     * @param describe the caller's own words for a mapping problem Jackson would describe in its terms,
     *                 or null to keep the generic ones; returns null for problems it has no words for
     */
    public static <T> T parse(String yaml, Class<T> type, Function<List<String>, ? extends InvalidConfigException> invalid,
                              BiFunction<String, JsonMappingException, String> describe) {
        try (JsonParser parser = YAML.createParser(yaml)) {
            // a file of only comments has no first token; Jackson would call that "no content to map"
            return parser.nextToken() == null ? null : YAML.readValue(parser, type);
        } catch (IOException e) {
            throw invalid.apply(List.of(problem(e, describe)));
        }
    }

    private static String problem(IOException e, BiFunction<String, JsonMappingException, String> describe) {
        // Jackson wraps some syntax errors in a mapping error of the field it was reading
        Throwable cause = e instanceof JsonMappingException && e.getCause() instanceof StreamReadException ? e.getCause() : e;
        if (cause instanceof StreamReadException syntax) {
            return syntaxProblem(syntax);
        }
        if (cause instanceof JsonMappingException mapping) {
            String field = fieldPath(mapping);
            String own = describe == null ? null : describe.apply(field, mapping);
            return field + ": " + (own != null ? own : describe(mapping));
        }
        return "(file): cannot be read: " + e.getMessage();
    }

    private static String syntaxProblem(StreamReadException e) {
        if (e.getOriginalMessage().startsWith("Duplicate field") && e.getProcessor() != null) {
            // the parser stopped on the repeated key, so its position is the field's path
            String path = e.getProcessor().getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
            return path + ": is listed twice";
        }
        // SnakeYAML's message spans lines with a source excerpt and a caret; keep the sentences only
        String sentences = e.getOriginalMessage().lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "(file): not valid YAML" + where + ": " + sentences;
    }

    /** Jackson's own messages name internal classes; a person editing the file needs the field's terms. */
    private static String describe(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "unknown field (known fields here: " + known + ")";
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null && Number.class.isAssignableFrom(wrap(format.getTargetType()))) {
            return "must be a number, was '" + format.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "must be " + kindOf(mismatch.getTargetType());
        }
        String message = e.getOriginalMessage();
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static String kindOf(Class<?> type) {
        if (type == String.class) {
            return "text";
        }
        if (Number.class.isAssignableFrom(wrap(type))) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a mapping of fields";
    }

    private static Class<?> wrap(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return type == boolean.class ? Boolean.class : type == char.class ? Character.class : Number.class;
    }

    private static String fieldPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return path.isEmpty() ? "(file)" : path.substring(1);
    }
}
