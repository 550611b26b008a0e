package dev.tierflow.worker.check;

import static dev.tierflow.worker.check.Contracts.jsonSchema;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract's JSON Schema, through {@link OutputChecker}. */
class JsonSchemaCheckTest {

    private static final String INVOICE_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "invoiceNumber": {"type": "string", "pattern": "^INV-[0-9]+$"},
                "total": {"type": "number"},
                "issued": {"type": "string", "format": "date"}
              },
              "required": ["invoiceNumber", "total"]
            }
            """;

    private final OutputChecker checker = new OutputChecker();

    private CheckOutcome check(String schema, String output) {
        return checker.check(jsonSchema(schema), output);
    }

    @Test
    void anOutputValidAgainstTheSchemaPasses() {
        assertThat(check(INVOICE_SCHEMA, "{\"invoiceNumber\": \"INV-7\", \"total\": 12.5, \"issued\": \"2026-11-23\"}"))
                .isEqualTo(new CheckOutcome(true, null));
    }

    @Test
    void aWrongTypeIsNamedWithItsJsonPath() {
        assertThat(check(INVOICE_SCHEMA, "{\"invoiceNumber\": \"INV-7\", \"total\": \"12.50\"}"))
                .isEqualTo(new CheckOutcome(false, "jsonSchema: $.total: string found, number expected"));
    }

    @Test
    void everyViolationIsListed() {
        assertThat(check(INVOICE_SCHEMA, "{\"invoiceNumber\": \"7\"}").detail()).isEqualTo(
                "jsonSchema: $.invoiceNumber: does not match the regex pattern ^INV-[0-9]+$; $: required property 'total' not found");
    }

    @Test
    void aLongListOfViolationsIsCut() {
        String schema = "{\"items\": {\"type\": \"string\"}}";

        assertThat(check(schema, "[1, 2, 3, 4, 5, 6, 7]").detail()).isEqualTo("jsonSchema: "
                + "$[0]: integer found, string expected; $[1]: integer found, string expected; "
                + "$[2]: integer found, string expected; $[3]: integer found, string expected; "
                + "$[4]: integer found, string expected; and 2 more");
    }

    @Test
    void formatsAreChecked() {
        assertThat(check(INVOICE_SCHEMA, "{\"invoiceNumber\": \"INV-7\", \"total\": 1, \"issued\": \"2026-02-30\"}").detail())
                .isEqualTo("jsonSchema: $.issued: does not match the date pattern must be a valid RFC 3339 full-date");
    }

    @Test
    void theDialectIs202012UnlessTheSchemaNamesAnother() {
        // an array under "items" is a tuple in draft-07 and not allowed in 2020-12 (it became prefixItems)
        String tuple = "\"items\": [{\"type\": \"string\"}]";

        assertThat(check("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", " + tuple + "}", "[1]"))
                .isEqualTo(new CheckOutcome(false, "jsonSchema: $[0]: integer found, string expected"));
        assertThat(check("{" + tuple + "}", "[1]").detail()).startsWith(
                "jsonSchema: the contract is invalid, not a valid JSON Schema (https://json-schema.org/draft/2020-12/schema): "
                        + "$.items: array found, [object, boolean] expected");
    }

    @Test
    void aSchemaWithAMistakeTheLibraryWouldAcceptIsAnInvalidContract() {
        assertThat(check("{\"type\": \"strnig\"}", "1").detail()).isEqualTo(
                "jsonSchema: the contract is invalid, not a valid JSON Schema (https://json-schema.org/draft/2020-12/schema): "
                        + "$.type: does not have a value in the enumeration [\"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\"]; "
                        + "$.type: string found, array expected");
    }

    @Test
    void aSchemaThatIsNotJsonIsAnInvalidContract() {
        assertThat(check("{type: string}", "1").detail()).startsWith(
                "jsonSchema: the contract is invalid, its schema is not JSON: Unexpected character ('t' (code 116))");
    }

    @Test
    void anUnknownDialectIsAnInvalidContract() {
        assertThat(check("{\"$schema\": \"https://example.com/my-dialect\"}", "1").detail()).isEqualTo(
                "jsonSchema: the contract is invalid, unsupported $schema 'https://example.com/my-dialect' "
                        + "(supported: draft-04, draft-06, draft-07, 2019-09, 2020-12)");
    }

    @Test
    void aReferenceToAnotherDocumentIsNotFollowed() {
        assertThat(check("{\"$ref\": \"https://example.com/invoice.json\"}", "1").detail()).isEqualTo(
                "jsonSchema: the contract is invalid, refers to 'https://example.com/invoice.json', which is not followed: "
                        + "a contract's schema must be self-contained (use $defs)");
    }

    @Test
    void referencesWithinTheSchemaAreFollowed() {
        String schema = "{\"$defs\": {\"money\": {\"type\": \"number\"}}, \"properties\": {\"total\": {\"$ref\": \"#/$defs/money\"}}}";

        assertThat(check(schema, "{\"total\": \"12\"}").detail()).isEqualTo("jsonSchema: $.total: string found, number expected");
    }

    @Test
    void aReferenceToNothingIsAnInvalidContract() {
        assertThat(check("{\"$ref\": \"#/$defs/missing\"}", "1").detail())
                .isEqualTo("jsonSchema: the contract is invalid, Reference /$defs/missing cannot be resolved");
    }

    @Test
    void aSchemaPatternThatIsNotARegexIsAnInvalidContract() {
        // the meta-schema declares "pattern" a regex; with format checks on, it is checked as one
        assertThat(check("{\"pattern\": \"INV-(\"}", "\"INV-1\"").detail()).isEqualTo(
                "jsonSchema: the contract is invalid, not a valid JSON Schema (https://json-schema.org/draft/2020-12/schema): "
                        + "$.pattern: does not match the regex pattern must be a valid ECMA-262 regular expression");
    }
}
