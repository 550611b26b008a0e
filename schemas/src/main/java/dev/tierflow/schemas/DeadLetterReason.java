package dev.tierflow.schemas;

/** Why a record went to a dead-letter topic. */
public enum DeadLetterReason {
    /** The bytes are not a registry-framed Avro record (wrong magic byte, too short, corrupt body). */
    UNDECODABLE,
    /** The record names a schema id the registry does not know. */
    UNKNOWN_SCHEMA_ID,
    /** The record has no value (null or empty). */
    MISSING_VALUE,
    /** A field is missing, empty or out of range (e.g. a negative size). */
    INVALID_FIELD,
    /** The task escalated more times than the policy allows. */
    MAX_ATTEMPTS_EXCEEDED,
    /** The record has bytes after its Avro datum: nothing the router did not read is forwarded. */
    TRAILING_BYTES,
    /** A routed task whose decision (tier, model, provider, budget) the policy does not allow; never executed. */
    INVALID_DECISION,
    /** The record's event time is further in the past or future than the configured bounds. */
    EVENT_TIME_OUT_OF_BOUNDS,
    /** Anything else that went wrong while processing the record. */
    PROCESSING_ERROR
}
