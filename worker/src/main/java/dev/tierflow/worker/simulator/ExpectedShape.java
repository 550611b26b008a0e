package dev.tierflow.worker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tierflow.schemas.OutputContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an output contract asks of the text, as far as the simulator can produce it: whether it must be a
 * JSON object, which top-level fields it needs, how long it may be. The contract's {@code requiredFields} are
 * string fields; a JSON Schema adds its top-level {@code required} properties, typed by their {@code const},
 * {@code enum} or simple {@code type}. That is a best effort: nested structure, formats, patterns and value
 * bounds are not honoured, and a regex cannot be satisfied in general, so a compliant draw for such a contract
 * may still fail its check (the worker then escalates, as with any failure).
 *
 * @param json whether the output must parse as a JSON object
 * @param fields the top-level fields it needs, in contract order, no duplicates
 * @param maxLength the most characters it may have, or null
 */
record ExpectedShape(boolean json, List<Field> fields, Integer maxLength) {

    static final ExpectedShape ANYTHING = new ExpectedShape(false, List.of(), null);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One field to write.
     *
     * @param type a JSON Schema simple type (string, integer, number, boolean, array, object, null), or
     *             {@code const} when the value is fixed
     * @param constant the fixed value (the schema's {@code const} or first {@code enum} entry), else null
     */
    record Field(String name, String type, JsonNode constant) {
    }

    static ExpectedShape of(OutputContract contract) {
        if (contract == null) {
            return ANYTHING;
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        if (contract.getRequiredFields() != null) {
            contract.getRequiredFields().forEach(name -> fields.putIfAbsent(name, new Field(name, "string", null)));
        }
        String schema = contract.getJsonSchema();
        if (schema != null) {
            addSchemaRequired(schema, fields);
        }
        boolean json = schema != null || !fields.isEmpty();
        return new ExpectedShape(json, List.copyOf(fields.values()), contract.getMaxLength());
    }

    private static void addSchemaRequired(String schemaText, Map<String, Field> fields) {
        JsonNode schema;
        try {
            schema = JSON.readTree(schemaText);
        } catch (Exception e) {
            return; // an unreadable schema fails the worker's check whatever we write
        }
        if (schema == null || !schema.path("required").isArray()) {
            return;
        }
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.get("required")) {
            if (required.isTextual()) {
                String name = required.asText();
                fields.putIfAbsent(name, fieldFromProperty(name, properties.path(name)));
            }
        }
    }

    private static Field fieldFromProperty(String name, JsonNode property) {
        if (property.has("const")) {
            return new Field(name, "const", property.get("const"));
        }
        if (property.path("enum").isArray() && !property.path("enum").isEmpty()) {
            return new Field(name, "const", property.path("enum").get(0));
        }
        return new Field(name, simpleType(property.path("type")), null);
    }

    private static String simpleType(JsonNode type) {
        List<String> types = new ArrayList<>();
        if (type.isTextual()) {
            types.add(type.asText());
        } else if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        }
        // prefer a type we can fill with text, so the length target can be met
        if (types.isEmpty() || types.contains("string")) {
            return "string";
        }
        return types.stream().filter(t -> !t.equals("null")).findFirst().orElse("null");
    }
}
