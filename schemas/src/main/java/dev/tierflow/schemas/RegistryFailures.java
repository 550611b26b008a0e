package dev.tierflow.schemas;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/**
 * Tells a registry that could not be reached from a record that could not be read. The first is
 * transient and must fail the read (so it is retried), the second is the record's fault and goes to a
 * dead-letter topic: readers that confuse them either lose good records or stall on bad ones.
 */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    /** Whether {@code failure} itself (not its causes) is a failure to reach the registry. */
    public static boolean isUnreachable(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof HttpTimeoutException
                || failure instanceof UnknownHostException || failure instanceof SocketTimeoutException;
    }

    /** Whether {@code failure} or any of its causes is a failure to reach the registry. */
    public static boolean causedByUnreachableRegistry(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (isUnreachable(t)) {
                return true;
            }
        }
        return false;
    }
}
