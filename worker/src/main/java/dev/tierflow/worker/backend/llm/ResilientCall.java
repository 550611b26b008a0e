package dev.tierflow.worker.backend.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelCallException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one model call with the backends' retry policy, and turns whatever LangChain4j throws into a {@link
 * ModelCallException} of the right kind. Shared by both backends; LangChain4j's own retries are off
 * ({@code maxRetries(0)}), so this is the only policy.
 *
 * <table>
 *   <caption>What is retried</caption>
 *   <tr><th>failure</th><th>retried</th><th>kind when it is final</th></tr>
 *   <tr><td>HTTP 429</td><td>yes, after {@code retry-after} if given, else the backoff</td><td>PROVIDER_ERROR</td></tr>
 *   <tr><td>HTTP 5xx (Anthropic's 529 overloaded included)</td><td>yes, likewise</td><td>PROVIDER_ERROR</td></tr>
 *   <tr><td>HTTP 408, or no complete answer within the timeout</td><td>yes</td><td>TIMEOUT</td></tr>
 *   <tr><td>server unreachable (refused, reset, unknown host)</td><td>yes</td><td>PROVIDER_ERROR</td></tr>
 *   <tr><td>HTTP 401, 403 (the key)</td><td>no</td><td>PROVIDER_ERROR</td></tr>
 *   <tr><td>other HTTP 4xx (unknown model, budget too large...)</td><td>no</td><td>INVALID_REQUEST</td></tr>
 *   <tr><td>a 2xx body that is not the expected JSON</td><td>no</td><td>PROVIDER_ERROR</td></tr>
 *   <tr><td>interrupted (the worker is stopping)</td><td>no</td><td>PROVIDER_ERROR, interrupt flag kept</td></tr>
 * </table>
 *
 * A {@code retry-after} longer than the policy's {@code maxDelay} ends the call at once (PROVIDER_ERROR) rather than
 * hold a worker slot for minutes: the fallback model, or the worker's escalation, can act sooner.
 */
public final class ResilientCall {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientCall.class);
    private static final int MAX_BODY_IN_MESSAGE = 300;

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;

    /**
     * @param sleeper waits between attempts ({@link Sleeper#REAL} outside tests)
     * @param clock reads the time an HTTP-date {@code retry-after} is relative to
     */
    public ResilientCall(RetryPolicy policy, Sleeper sleeper, Clock clock) {
        this(policy, sleeper, clock, () -> ThreadLocalRandom.current().nextDouble());
    }

    ResilientCall(RetryPolicy policy, Sleeper sleeper, Clock clock, DoubleSupplier random) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    /** The policy of these settings, really waiting. */
    public static ResilientCall of(LlmBackendSettings settings) {
        return new ResilientCall(RetryPolicy.from(settings), Sleeper.REAL, Clock.systemUTC());
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code attempt} until it returns, a failure is not retriable, or the attempts are used up.
     *
     * @param target what is called, for messages ({@code "openai model gpt-4o-mini"})
     * @throws ModelCallException the last failure, saying how many attempts were made
     */
    public <T> T call(String target, Supplier<T> attempt) throws ModelCallException {
        for (int attemptNo = 1; ; attemptNo++) {
            Failure failure;
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                failure = classify(e);
            }
            if (!failure.retriable() || attemptNo >= policy.maxAttempts()) {
                throw failure.toException(target, attemptNo);
            }
            Duration wait = failure.retryAfter().orElse(null);
            if (wait != null && wait.compareTo(policy.maxDelay()) > 0) {
                throw new ModelCallException(Kind.PROVIDER_ERROR, target + ": " + failure.reason()
                        + "; the provider asks to retry after " + wait + ", longer than maxDelay "
                        + policy.maxDelay() + ", so not waiting (attempt " + attemptNo + ")", failure.cause());
            }
            if (wait == null) {
                wait = policy.backoff(attemptNo, random.getAsDouble());
            }
            LOG.debug("{}: {} (attempt {} of {}), retrying in {}", target, failure.reason(), attemptNo,
                    policy.maxAttempts(), wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the worker is shutting down: let it see why
                throw new ModelCallException(Kind.PROVIDER_ERROR, target + ": interrupted while waiting to retry after "
                        + failure.reason(), e);
            }
        }
    }

    private Failure classify(RuntimeException e) {
        ProviderHttpException http = find(e, ProviderHttpException.class);
        if (http != null) {
            return classifyHttp(http, e);
        }
        if (find(e, InterruptedException.class) != null || Thread.currentThread().isInterrupted()) {
            return new Failure(Kind.PROVIDER_ERROR, false, "interrupted", Optional.empty(), e);
        }
        TimeoutException timeout = find(e, TimeoutException.class);
        if (timeout != null) {
            return new Failure(Kind.TIMEOUT, true, timeout.getMessage() == null ? "timed out" : timeout.getMessage(),
                    Optional.empty(), e);
        }
        if (find(e, JsonProcessingException.class) != null) {
            return new Failure(Kind.PROVIDER_ERROR, false, "malformed response body (not the expected JSON): "
                    + rootMessage(e), Optional.empty(), e);
        }
        if (find(e, UnresolvedModelServerException.class) != null || find(e, IOException.class) != null
                || e instanceof UncheckedIOException) {
            return new Failure(Kind.PROVIDER_ERROR, true, "could not reach the server: " + rootMessage(e),
                    Optional.empty(), e);
        }
        return new Failure(Kind.PROVIDER_ERROR, false, "unexpected response: " + rootMessage(e), Optional.empty(), e);
    }

    private Failure classifyHttp(ProviderHttpException http, RuntimeException e) {
        int status = http.statusCode();
        String said = "HTTP " + status + " " + snippet(http.getMessage());
        if (status == 429 || status >= 500) {
            return new Failure(Kind.PROVIDER_ERROR, true, said,
                    RetryAfter.parse(http.retryAfterMs(), http.retryAfter(), clock), e);
        }
        if (status == 408) {
            return new Failure(Kind.TIMEOUT, true, said, RetryAfter.parse(http.retryAfterMs(), http.retryAfter(),
                    clock), e);
        }
        if (status == 401 || status == 403) {
            return new Failure(Kind.PROVIDER_ERROR, false, said + " (check the API key)", Optional.empty(), e);
        }
        if (status >= 400) {
            return new Failure(Kind.INVALID_REQUEST, false, said, Optional.empty(), e);
        }
        return new Failure(Kind.PROVIDER_ERROR, false, said, Optional.empty(), e);
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return snippet(text);
    }

    private static <X extends Throwable> X find(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private record Failure(Kind kind, boolean retriable, String reason, Optional<Duration> retryAfter,
                           Throwable cause) {

        ModelCallException toException(String target, int attempts) {
            String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
            return new ModelCallException(kind, target + ": " + reason + " (" + tries + ")", cause);
        }
    }
}
