package dev.tierflow.attribution.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * The attributes of one span that TierFlow reads (the keys the worker's {@code OtelSpanExport} writes),
 * collected in one pass over the span's attribute list. A field is null when its attribute is absent.
 *
 * <p>A value of the wrong type does not stop the pass: the first such problem is kept in {@link #problem},
 * so a non-GenAI span with an odd attribute is still skipped rather than rejected.
 */
final class SpanAttributes {

    // OpenTelemetry GenAI semantic conventions
    static final String PROVIDER_NAME = "gen_ai.provider.name";
    static final String SYSTEM = "gen_ai.system"; // the older name of gen_ai.provider.name
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
    static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String ERROR_TYPE = "error.type";
    // TierFlow's own
    static final String TASK_ID = "tierflow.task.id";
    static final String RUN_ID = "tierflow.run.id";
    static final String SPAN_ID = "tierflow.span.id";
    static final String ATTEMPT = "tierflow.attempt";
    static final String ROLE = "tierflow.role";
    static final String TASK_TYPE = "tierflow.task.type";
    static final String TIER = "tierflow.tier";
    static final String TENANT = "tierflow.tenant";
    static final String COST_MICROS = "tierflow.cost.micros";
    static final String STATUS = "tierflow.status";
    static final String QUALITY = "tierflow.quality";
    static final String CHECK_PASSED = "tierflow.check.passed";
    static final String ESCALATED = "tierflow.escalated";
    static final String CACHED_INPUT_TOKENS = "tierflow.cached_input_tokens";
    static final String FALLBACK_FROM = "tierflow.fallback_from";
    static final String LATENCY_MS = "tierflow.latency_ms";

    /** True when the span names a model: what makes it a GenAI span, even if the value is unreadable. */
    boolean genAi;
    String problem;

    String provider;
    String system;
    String requestModel;
    String responseModel;
    Integer maxTokens;
    Long inputTokens;
    Long outputTokens;
    String errorType;
    String taskId;
    String runId;
    String spanId;
    Integer attempt;
    String role;
    String taskType;
    String tier;
    String tenant;
    Long costMicros;
    String status;
    Double quality;
    Boolean checkPassed;
    Boolean escalated;
    Long cachedInputTokens;
    String fallbackFrom;
    Long latencyMs;

    static SpanAttributes of(List<KeyValue> attributes) {
        SpanAttributes read = new SpanAttributes();
        for (int i = 0, n = attributes.size(); i < n; i++) {
            read.read(attributes.get(i));
        }
        return read;
    }

    private void read(KeyValue attribute) {
        String key = attribute.getKey();
        AnyValue value = attribute.getValue();
        if (value.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET) {
            return; // an empty value says nothing: the same as an absent attribute
        }
        // a string switch hashes once and compares once: cheaper than a map lookup per key, no allocation
        switch (key) {
            case REQUEST_MODEL -> {
                genAi = true;
                requestModel = string(key, value);
            }
            case RESPONSE_MODEL -> {
                genAi = true;
                responseModel = string(key, value);
            }
            case PROVIDER_NAME -> provider = string(key, value);
            case SYSTEM -> system = string(key, value);
            case REQUEST_MAX_TOKENS -> maxTokens = count32(key, value);
            case USAGE_INPUT_TOKENS -> inputTokens = count(key, value);
            case USAGE_OUTPUT_TOKENS -> outputTokens = count(key, value);
            case ERROR_TYPE -> errorType = string(key, value);
            case TASK_ID -> taskId = string(key, value);
            case RUN_ID -> runId = string(key, value);
            case SPAN_ID -> spanId = string(key, value);
            case ATTEMPT -> attempt = count32(key, value);
            case ROLE -> role = string(key, value);
            case TASK_TYPE -> taskType = string(key, value);
            case TIER -> tier = string(key, value);
            case TENANT -> tenant = string(key, value);
            case COST_MICROS -> costMicros = count(key, value);
            case STATUS -> status = string(key, value);
            case QUALITY -> quality = fraction(key, value);
            case CHECK_PASSED -> checkPassed = bool(key, value);
            case ESCALATED -> escalated = bool(key, value);
            case CACHED_INPUT_TOKENS -> cachedInputTokens = count(key, value);
            case FALLBACK_FROM -> fallbackFrom = string(key, value);
            case LATENCY_MS -> latencyMs = count(key, value);
            default -> {
                // not ours
            }
        }
    }

    /** Takes the dimensions the span does not set itself from its scope, then its resource. */
    void inherit(Dimensions outer) {
        if (tenant == null) {
            tenant = outer.tenant();
        }
        if (role == null) {
            role = outer.role();
        }
        if (taskType == null) {
            taskType = outer.taskType();
        }
        if (tier == null) {
            tier = outer.tier();
        }
        if (problem == null) {
            problem = outer.problem();
        }
    }

    private String string(String key, AnyValue value) {
        String s = AttributeValues.asString(value);
        if (s == null) {
            problem(key, "a string", value);
        }
        return s;
    }

    /** Every TierFlow number is a count (tokens, micro-dollars, milliseconds, attempts): never negative. */
    private Long count(String key, AnyValue value) {
        Long n = AttributeValues.asLong(value);
        if (n == null || n < 0) {
            problem(key, "a non-negative integer", value);
            return null;
        }
        return n;
    }

    private Integer count32(String key, AnyValue value) {
        Long n = count(key, value);
        if (n != null && n > Integer.MAX_VALUE) {
            problem(key, "at most " + Integer.MAX_VALUE, value);
            return null;
        }
        return n == null ? null : n.intValue();
    }

    private Double fraction(String key, AnyValue value) {
        Double d = AttributeValues.asDouble(value);
        if (d == null) {
            problem(key, "a number", value);
        }
        return d;
    }

    private Boolean bool(String key, AnyValue value) {
        Boolean b = AttributeValues.asBoolean(value);
        if (b == null) {
            problem(key, "a boolean", value);
        }
        return b;
    }

    private void problem(String key, String expected, AnyValue value) {
        if (problem == null) {
            problem = "attribute '" + key + "' must be " + expected + ", was " + AttributeValues.describe(value);
        }
    }
}
