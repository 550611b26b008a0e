package dev.tierflow.worker.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/**
 * The contract's {@code jsonSchema}: the output, parsed as JSON, must validate against it. Compiled
 * schemas (and broken ones, with their problem) are cached by the schema's text. The schema's patterns
 * share one budget of {@code maxSteps} character reads per output, as the contract's regex has.
 */
final class JsonSchemaCheck {

    private final SchemaPatterns patterns;
    private final JsonSchemaCompiler compiler;
    private final BoundedCache<String, Parsed<JsonSchema>> schemas;

    JsonSchemaCheck(int cacheCapacity, long maxSteps) {
        this.patterns = new SchemaPatterns(maxSteps);
        this.compiler = new JsonSchemaCompiler(patterns);
        this.schemas = new BoundedCache<>(cacheCapacity);
    }

    /** The validator, or why the contract's schema is not usable; cached by the schema's text. */
    Parsed<JsonSchema> compile(String schemaText) {
        return schemas.get(schemaText, compiler::compile);
    }

    CheckOutcome check(JsonSchema schema, JsonNode output) {
        Set<ValidationMessage> errors;
        try {
            errors = patterns.within(() -> schema.validate(output));
        } catch (SchemaPatterns.GaveUp e) {
            return CheckOutcome.fail("jsonSchema: " + e.getMessage());
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
