package dev.tierflow.router.stream;

/** The registry could not be reached: retry later, never dead-letter the record for it. */
public final class SchemaRegistryUnavailableException extends RuntimeException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
