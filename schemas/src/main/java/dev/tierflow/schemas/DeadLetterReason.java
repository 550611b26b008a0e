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
    /** Anything else that went wrong while processing the record. */
    PROCESSING_ERROR
}
