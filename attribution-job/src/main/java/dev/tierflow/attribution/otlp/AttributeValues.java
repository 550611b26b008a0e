package dev.tierflow.attribution.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;

/**
 * Reads an OTLP attribute value as the type TierFlow expects, however the sender encoded it: SDKs send
 * numbers as ints, but collectors' transform processors and some SDKs send them as strings or doubles.
 * Each method returns null when the value cannot be read as that type.
 */
final class AttributeValues {

    private AttributeValues() {
    }

    static String asString(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> null;
        };
    }

    static Long asLong(AnyValue value) {
        return switch (value.getValueCase()) {
            case INT_VALUE -> value.getIntValue();
            case STRING_VALUE -> parseLong(value.getStringValue());
            case DOUBLE_VALUE -> integral(value.getDoubleValue());
            default -> null;
        };
    }

    static Double asDouble(AnyValue value) {
        double d;
        switch (value.getValueCase()) {
            case DOUBLE_VALUE -> d = value.getDoubleValue();
            case INT_VALUE -> d = value.getIntValue();
            case STRING_VALUE -> {
                Double parsed = parseDouble(value.getStringValue());
                if (parsed == null) {
                    return null;
                }
                d = parsed;
            }
            default -> {
                return null;
            }
        }
        return Double.isFinite(d) ? d : null;
    }

    static Boolean asBoolean(AnyValue value) {
        return switch (value.getValueCase()) {
            case BOOL_VALUE -> value.getBoolValue();
            case STRING_VALUE -> "true".equalsIgnoreCase(value.getStringValue()) ? Boolean.TRUE
                    : "false".equalsIgnoreCase(value.getStringValue()) ? Boolean.FALSE : null;
            default -> null;
        };
    }

    /** The value as it appears in a rejection reason. */
    static String describe(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> "'" + value.getStringValue() + "'";
            case INT_VALUE, DOUBLE_VALUE, BOOL_VALUE -> asString(value);
            default -> "a " + value.getValueCase().name().toLowerCase(java.util.Locale.ROOT).replace("_value", "");
        };
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null; // rare (a malformed value), so an exception is cheaper than scanning every digit first
        }
    }

    private static Double parseDouble(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Senders whose numbers are all doubles (JavaScript) write 150 as 150.0: accept it when it is whole. */
    private static Long integral(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return (long) d;
        }
        return null;
    }
}
