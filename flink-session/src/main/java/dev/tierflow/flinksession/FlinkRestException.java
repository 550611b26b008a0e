package dev.tierflow.flinksession;

import java.util.stream.Collectors;

/**
 * A Flink REST call answered with an error status. The message keeps the error lines and the server-side
 * exception's "Caused by" chain (the reason, e.g. a missing entry class); {@link #body()} has it all.
 */
public class FlinkRestException extends RuntimeException {

    private final int status;
    private final String body;

    public FlinkRestException(String request, int status, String body) {
        super(request + " -> HTTP " + status + ": " + summary(body));
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The whole response body: {@code {"errors": [...]}}, with the server-side stack trace when there was one. */
    public String body() {
        return body;
    }

    /** Drops the stack frames ({@code at ...} lines) of the JSON-escaped server-side trace. */
    static String summary(String body) {
        return body.replace("\\n", "\n").replace("\\t", "\t").lines()
                .filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t... "))
                .collect(Collectors.joining("\n"));
    }
}
