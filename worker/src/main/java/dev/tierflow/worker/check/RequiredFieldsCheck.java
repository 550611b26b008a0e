package dev.tierflow.worker.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The contract's {@code requiredFields}: top-level fields the output, a JSON object, must contain. A
 * field that is present with the value {@code null} counts as present; a contract that needs a value
 * says so with a JSON Schema type.
 */
final class RequiredFieldsCheck {

    private RequiredFieldsCheck() {
    }

    static CheckOutcome check(List<String> fields, JsonNode output) {
        if (!output.isObject()) {
            return CheckOutcome.fail("requiredFields: output is " + describe(output) + ", not an object");
        }
        String missing = fields.stream()
                .filter(field -> !output.has(field))
                .distinct()
                .map(field -> "'" + field + "'")
                .collect(Collectors.joining(", "));
        return missing.isEmpty() ? CheckOutcome.pass() : CheckOutcome.fail("requiredFields: missing " + missing);
    }

    private static String describe(JsonNode json) {
        return switch (json.getNodeType()) {
            case ARRAY -> "a JSON array";
            case STRING -> "a JSON string";
            case NUMBER -> "a JSON number";
            case BOOLEAN -> "a JSON boolean";
            case NULL -> "JSON null";
            default -> "JSON of type " + json.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
