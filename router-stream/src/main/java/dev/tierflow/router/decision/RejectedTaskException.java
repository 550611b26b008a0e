package dev.tierflow.router.decision;

import dev.tierflow.schemas.DeadLetterReason;

/**
 * A record the router will not route; it goes to the dead-letter topic with this reason. Expected
 * for bad input, so it carries no stack trace.
 */
public final class RejectedTaskException extends RuntimeException {

    private final DeadLetterReason reason;

    public RejectedTaskException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectedTaskException(DeadLetterReason reason, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
