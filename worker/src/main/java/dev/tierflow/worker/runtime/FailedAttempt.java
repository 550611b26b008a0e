package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.SpanStatus;
import java.time.Instant;

/**
 * The ERROR span of an attempt the worker itself could not finish (the attempt threw, or its call ran past
 * the call timeout): the task's fields as {@link AttemptRunner#spanOf} sets them, no usage, no cost.
 */
final class FailedAttempt {

    private FailedAttempt() {
    }

    static AttemptOutcome outcome(RoutedTask routed, Instant started, Instant ended, String detail) {
        ResultSpan span = AttemptRunner.spanOf(routed, started, ended).setStatus(SpanStatus.ERROR).setCheckDetail(detail).build();
        return new AttemptOutcome(span, null);
    }
}
