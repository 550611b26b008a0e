package dev.tierflow.schemas;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a registry that could not be reached from a record that could not be read. The first is
 * transient and must fail the read (so it is retried), the second is the record's fault and goes to a
 * dead-letter topic: readers that confuse them either lose good records or stall on bad ones.
 *
 * <p>An outage is: no connection (refused, unknown host, closed mid-request as Vert.x's
 * {@link HttpClosedException}), no answer in time (the JDK's and socket time-outs, and Vert.x's
 * {@code NoStackTraceTimeoutException}, a {@link TimeoutException}), or an answer that says the registry,
 * not the record, is at fault: a 5xx, 401 or 403 (credentials are the deployment's problem, not the
 * record's), 408 or 429. A 404 for a schema id is the record's fault: the id is unknown.
 */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    /** Whether {@code failure} itself (not its causes) is a failure to reach the registry. */
    public static boolean isUnreachable(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof HttpTimeoutException
                || failure instanceof UnknownHostException || failure instanceof SocketTimeoutException
                || failure instanceof TimeoutException || failure instanceof HttpClosedException
                || failure instanceof ApiException api && isOutageStatus(status(api));
    }

    /** The registry's problem document carries the status; a bare answer (e.g. a proxy's 401) only the response's. */
    private static int status(ApiException failure) {
        if (failure instanceof ProblemDetails problem && problem.getStatus() != null) {
            return problem.getStatus();
        }
        return failure.getResponseStatusCode();
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

    /** An HTTP status that says the registry (or access to it) is failing, not the record. */
    static boolean isOutageStatus(int status) {
        return status >= 500 || status == 401 || status == 403 || status == 408 || status == 429;
    }
}
