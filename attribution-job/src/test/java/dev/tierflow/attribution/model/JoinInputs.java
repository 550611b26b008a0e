package dev.tierflow.attribution.model;

import static dev.tierflow.testing.ResultSpanBuilder.span;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.testing.TestInstants;
import java.time.Duration;

/** Inputs of the join with every field set, for the serializer and copy tests. */
final class JoinInputs {

    private JoinInputs() {
    }

    static RoutedRef routed() {
        RoutedRef ref = new RoutedRef();
        ref.taskId = "t-1";
        ref.attempt = 2;
        ref.runId = "run-1";
        ref.role = "worker";
        ref.taskType = "extract";
        ref.tenant = "acme";
        ref.tier = "mid";
        ref.model = "claude-sonnet-4-5";
        ref.rule = "ROLE";
        ref.routedAtMillis = 1_795_000_000_123L;
        return ref;
    }

    static ResultSpan fullSpan() {
        ResultSpan span = span("t-1").attempt(2).of("worker", "extract", "acme").tier("mid", "m-mid").tokens(120, 40)
                .cachedInputTokens(16).cost(2_345).quality(0.75).checkPassed(false).status(SpanStatus.CHECK_FAILED)
                .escalated(true).latency(Duration.ofMillis(850)).endedAt(TestInstants.BEGINNING.plusSeconds(5)).build();
        span.setFallbackFrom("m-small");
        span.setCheckDetail("missing field 'total' (ü)");
        return span;
    }
}
