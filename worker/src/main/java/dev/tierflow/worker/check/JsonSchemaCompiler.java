package dev.tierflow.worker.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.SchemaLoader;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a contract's JSON Schema text into a validator (networknt json-schema-validator), or says why the
 * contract's schema is unusable.
 *
 * <p>The dialect is draft 2020-12 unless the schema names another with {@code $schema} (drafts 04, 06,
 * 07, 2019-09 and 2020-12 are known). The library does not check that a schema is itself valid (it
 * would accept {@code {"type": "strnig"}} and fail every output), so the schema is first validated
 * against its dialect's meta-schema, which ships inside the library.
 *
 * <p>Its patterns are matched by {@link SchemaPatterns}, under the contract regex's work limit.
 *
 * <p>A schema is self-contained: {@code $ref}s to other documents are not followed. Fetching them would
 * make a check depend on the network and let a task's contract make the worker open arbitrary URLs.
 */
final class JsonSchemaCompiler {

    private static final String SUPPORTED = "draft-04, draft-06, draft-07, 2019-09, 2020-12";

    /**
     * The meta-schemas are mapped to the library's own classpath copies before loading; anything else a
     * schema refers to is refused here, before the library's classpath and URL loaders are tried.
     */
    private static final SchemaLoader BUNDLED_META_SCHEMAS_ONLY = iri -> {
        if (iri.toString().startsWith("classpath:draft")) {
            return null; // let the library's classpath loader read its bundled meta-schema
        }
        throw new JsonSchemaException("refers to '" + iri + "', which is not followed: a contract's schema must be self-contained (use $defs)");
    };

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.add(BUNDLED_META_SCHEMAS_ONLY)));

    private final SchemaPatterns patterns;
    private final SchemaValidatorsConfig config;
    private final Map<VersionFlag, JsonSchema> metaSchemas = new ConcurrentHashMap<>();

    JsonSchemaCompiler(SchemaPatterns patterns) {
        this.patterns = patterns;
        this.config = SchemaValidatorsConfig.builder()
                // messages name the place in the output as $.total, the way people write JSON paths
                .pathType(PathType.JSON_PATH)
                // the library translates its messages into the JVM's default language; spans stay in English
                // (the library ships an empty English bundle so that English wins over the default locale)
                .locale(Locale.ENGLISH)
                // "format": "date" is only an annotation by default in 2019-09 and later; a contract author who
                // writes it means it as a check
                .formatAssertionsEnabled(true)
                // every pattern, the meta-schema's and the contract's, is matched under a work limit
                .regularExpressionFactory(patterns)
                .build();
    }

    Parsed<JsonSchema> compile(String schemaText) {
        Parsed<JsonNode> parsed = JsonOutput.parse(schemaText, "its schema");
        if (!parsed.isValid()) {
            return invalid(parsed.problem());
        }
        JsonNode schema = parsed.value();
        JsonNode declared = schema.isObject() ? schema.get("$schema") : null;
        VersionFlag dialect = VersionFlag.V202012;
        if (declared != null && declared.isTextual()) {
            Optional<VersionFlag> known = SpecVersionDetector.detectOptionalVersion(declared.asText());
            if (known.isEmpty()) {
                return invalid("unsupported $schema '" + declared.asText() + "' (supported: " + SUPPORTED + ")");
            }
            dialect = known.get();
        }
        Set<ValidationMessage> problems;
        try {
            JsonSchema meta = metaSchema(dialect);
            problems = patterns.within(() -> meta.validate(schema));
        } catch (SchemaPatterns.GaveUp e) {
            return invalid("checking it against its dialect's meta-schema: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            return invalid("not a valid JSON Schema (" + dialect.getId() + "): " + ValidationMessages.join(problems));
        }
        try {
            JsonSchema validator = factory.getSchema(schema, config);
            // resolve $refs and compile patterns now, so a broken schema is found once, here, not per output
            validator.initializeValidators();
            return Parsed.of(validator);
        } catch (RuntimeException e) {
            return invalid(rootMessage(e));
        }
    }

    private JsonSchema metaSchema(VersionFlag dialect) {
        return metaSchemas.computeIfAbsent(dialect, flag -> {
            JsonSchema meta = factory.getSchema(SchemaLocation.of(flag.getId()), config);
            meta.initializeValidators();
            return meta;
        });
    }

    private static Parsed<JsonSchema> invalid(String problem) {
        return Parsed.invalid("jsonSchema: the contract is invalid, " + problem);
    }

    /** The library wraps causes (a bad "pattern" arrives as a wrapped PatternSyntaxException). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String line = message.lines().findFirst().orElse("").strip();
        // some messages start with the (empty) instance location: ": Reference ... cannot be resolved"
        return line.startsWith(": ") ? line.substring(2) : line;
    }
}
