package dev.tierflow.attribution.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * The TierFlow dimensions a resource or instrumentation scope may set for all its spans, e.g. an agent
 * started with {@code OTEL_RESOURCE_ATTRIBUTES=tierflow.tenant=acme}. Only these: a resource naming a
 * model or a cost would wrongly make every span under it a GenAI span.
 *
 * @param problem why a dimension could not be read; the GenAI spans under it are rejected with it
 */
record Dimensions(String tenant, String role, String taskType, String tier, String problem) {

    static final Dimensions NONE = new Dimensions(null, null, null, null, null);

    /** The dimensions of {@code attributes}, falling back to {@code outer}'s (the scope's to the resource's). */
    static Dimensions of(List<KeyValue> attributes, Dimensions outer) {
        if (attributes.isEmpty()) {
            return outer; // the usual case for scopes: nothing to allocate
        }
        String tenant = outer.tenant;
        String role = outer.role;
        String taskType = outer.taskType;
        String tier = outer.tier;
        String problem = outer.problem;
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue attribute = attributes.get(i);
            String key = attribute.getKey();
            switch (key) {
                case SpanAttributes.TENANT, SpanAttributes.ROLE, SpanAttributes.TASK_TYPE, SpanAttributes.TIER -> {
                    AnyValue value = attribute.getValue();
                    if (value.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET) {
                        continue;
                    }
                    String s = AttributeValues.asString(value);
                    if (s == null) {
                        if (problem == null) {
                            problem = "resource or scope attribute '" + key + "' must be a string, was " + AttributeValues.describe(value);
                        }
                        continue;
                    }
                    switch (key) {
                        case SpanAttributes.TENANT -> tenant = s;
                        case SpanAttributes.ROLE -> role = s;
                        case SpanAttributes.TASK_TYPE -> taskType = s;
                        default -> tier = s;
                    }
                }
                default -> {
                    // not a dimension
                }
            }
        }
        return new Dimensions(tenant, role, taskType, tier, problem);
    }
}
