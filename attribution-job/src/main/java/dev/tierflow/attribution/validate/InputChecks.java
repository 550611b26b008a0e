package dev.tierflow.attribution.validate;

import dev.tierflow.attribution.model.RoutedRef;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.ScopeNames;
import java.time.Duration;

/**
 * The one range check of the job's input, for Avro spans, spans decoded from OTLP and routed tasks alike:
 * what passes can be priced and summed without overflow, and its names make exactly the scopes they say
 * ({@link ScopeNames}). What fails goes to the dead-letter topic ({@code INVALID_FIELD}) with the
 * returned reason, instead of reaching the join, where an absurd number would fail the job on every
 * restart from its checkpoint.
 *
 * <p>The bounds are far beyond any real call (the largest context windows hold about 10 million tokens;
 * a call at frontier prices costs dollars) and small enough that a window's sums stay exact for
 * billions of spans: {@code MAX_COST_MICROS × 900 million} still fits in a long.
 */
public final class InputChecks {

    /** Input, output or cached-input tokens of one call. */
    public static final long MAX_TOKENS = 100_000_000L;
    /** Cost of one call: 10,000 USD. */
    public static final long MAX_COST_MICROS = 10_000_000_000L;
    /** Wall time of one call: a day. */
    public static final long MAX_LATENCY_MS = Duration.ofDays(1).toMillis();

    private InputChecks() {
    }

    /** Why {@code span} cannot be attributed, or null when it can. */
    public static String spanProblem(ResultSpan span) {
        String problem = names(span.getRole(), span.getTaskType(), span.getTenant(), span.getTier(), span.getModel());
        if (problem != null) {
            return problem;
        }
        if (span.getAttempt() < 0) {
            return "attempt must not be negative, was " + span.getAttempt();
        }
        if (span.getMaxOutputTokens() < 0) {
            return "maxOutputTokens must not be negative, was " + span.getMaxOutputTokens();
        }
        problem = within("inputTokens", span.getInputTokens(), MAX_TOKENS);
        if (problem == null) {
            problem = within("outputTokens", span.getOutputTokens(), MAX_TOKENS);
        }
        if (problem == null) {
            problem = within("cachedInputTokens", span.getCachedInputTokens(), MAX_TOKENS);
        }
        if (problem == null) {
            problem = within("costMicros", span.getCostMicros(), MAX_COST_MICROS);
        }
        if (problem == null) {
            problem = within("latencyMs", span.getLatencyMs(), MAX_LATENCY_MS);
        }
        if (problem != null) {
            return problem;
        }
        if (span.getCachedInputTokens() > span.getInputTokens()) {
            return "cachedInputTokens are part of inputTokens and cannot exceed them, were " + span.getCachedInputTokens()
                    + " cached of " + span.getInputTokens() + " input";
        }
        Double quality = span.getQuality();
        // written so that NaN fails too
        if (quality != null && !(quality >= 0.0 && quality <= 1.0)) {
            return "quality must be within [0, 1], was " + quality;
        }
        return null;
    }

    /** Why the routed task's dimensions cannot make scopes, or null when they can. */
    public static String routedProblem(RoutedRef routed) {
        if (routed.attempt < 0) {
            return "attempt must not be negative, was " + routed.attempt;
        }
        return names(routed.role, routed.taskType, routed.tenant, routed.tier, routed.model);
    }

    private static String names(String role, String taskType, String tenant, String tier, String model) {
        String problem = name("role", role);
        if (problem == null) {
            problem = name("taskType", taskType);
        }
        if (problem == null) {
            problem = name("tenant", tenant);
        }
        if (problem == null) {
            problem = name("tier", tier);
        }
        if (problem == null) {
            problem = name("model", model);
        }
        return problem;
    }

    private static String name(String field, String value) {
        String problem = ScopeNames.problem(value);
        return problem == null ? null : field + " '" + printable(value) + "' " + problem;
    }

    private static String within(String field, long value, long max) {
        if (value < 0) {
            return field + " must not be negative, was " + value;
        }
        if (value > max) {
            return field + " must be at most " + max + ", was " + value;
        }
        return null;
    }

    /** A name as it can go into a header: control characters escaped, at most 80 characters. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 80; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return value.length() > 80 ? out + "…" : out.toString();
    }
}
