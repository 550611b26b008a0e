package dev.tierflow.worker.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/**
 * The contract's {@code jsonSchema}: the output, parsed as JSON, must validate against it. Compiled
 * schemas (and broken ones, with their problem) are cached by the schema's text.
 */
final class JsonSchemaCheck {

    private final JsonSchemaCompiler compiler = new JsonSchemaCompiler();
    private final BoundedCache<String, Parsed<JsonSchema>> schemas;

    JsonSchemaCheck(int cacheCapacity) {
        this.schemas = new BoundedCache<>(cacheCapacity);
    }

    /** The validator, or why the contract's schema is not usable; cached by the schema's text. */
    Parsed<JsonSchema> compile(String schemaText) {
        return schemas.get(schemaText, compiler::compile);
    }

    CheckOutcome check(JsonSchema schema, JsonNode output) {
        Set<ValidationMessage> errors;
        try {
            errors = schema.validate(output);
        } catch (RuntimeException e) {
            // the checker never throws: a validator failure is recorded on the span like any other
            return CheckOutcome.fail("jsonSchema: the validator failed: " + e);
        }
        return errors.isEmpty() ? CheckOutcome.pass() : CheckOutcome.fail("jsonSchema: " + ValidationMessages.join(errors));
    }

    int cachedSchemas() {
        return schemas.size();
    }
}
