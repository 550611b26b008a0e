package dev.tierflow.worker.backend;

/** No answer could be had from a backend; the message says why, for the ERROR span. */
public class ModelCallException extends Exception {

    /** Broad classes of failure, recorded on the span. */
    public enum Kind {
        /** The provider failed (5xx, 429 after retries, malformed body) or could not be reached. */
        PROVIDER_ERROR,
        /** The call took longer than its timeout. */
        TIMEOUT,
        /** The backend has no answer for this request (e.g. a replay without that prompt or model). */
        NOT_FOUND,
        /** The request itself is wrong for this backend (e.g. an unknown model). */
        INVALID_REQUEST
    }

    private final Kind kind;

    public ModelCallException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ModelCallException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
