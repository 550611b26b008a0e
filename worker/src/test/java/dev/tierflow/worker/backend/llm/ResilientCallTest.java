package dev.tierflow.worker.backend.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelCallException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry policy on its own, with failures shaped as LangChain4j throws them over the transport. */
class ResilientCallTest {

    private static final RetryPolicy EXACT = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(500), 0.0);

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void theBackoffDoublesUpToMaxDelay() {
        ResilientCall call = new ResilientCall(EXACT, sleeper, Clock.systemUTC(), () -> 0.5);

        assertThatThrownBy(() -> call.call("test model", () -> {
            attempts.incrementAndGet();
            throw new InternalServerException(new ProviderHttpException(502, "bad gateway", null, null));
        })).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
            assertThat(e.getMessage()).isEqualTo("test model: HTTP 502 bad gateway (5 attempts)");
        });
        assertThat(attempts).hasValue(5);
        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofMillis(500));
    }

    @Test
    void jitterOnlyShortensAWait() {
        RetryPolicy policy = new RetryPolicy(1, Duration.ofMillis(1000), Duration.ofMillis(1000), 0.2);

        assertThat(policy.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(900));
        assertThat(policy.backoff(1, 0.999999)).isGreaterThan(Duration.ofMillis(800));
        assertThat(policy.backoff(70, 0.0)).isEqualTo(Duration.ofMillis(1000)); // no overflow far out
    }

    @Test
    void aSuccessAfterFailuresReturnsTheAnswer() throws Exception {
        ResilientCall call = new ResilientCall(EXACT, sleeper, Clock.systemUTC(), () -> 0.0);

        String answer = call.call("test model", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new RateLimitException(new ProviderHttpException(429, "slow down", "0.25", null));
            }
            return "answer";
        });

        assertThat(answer).isEqualTo("answer");
        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void aTimeoutIsRetriedAndEndsAsTimeout() {
        ResilientCall call = new ResilientCall(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), 0),
                sleeper, Clock.systemUTC());

        assertThatThrownBy(() -> call.call("test model", () -> {
            attempts.incrementAndGet();
            throw new TimeoutException("no complete answer within PT1S");
        })).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.getMessage()).isEqualTo("test model: no complete answer within PT1S (3 attempts)");
        });
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aBadRequestIsNotRetried() {
        ResilientCall call = new ResilientCall(EXACT, sleeper, Clock.systemUTC());

        assertThatThrownBy(() -> call.call("test model", () -> {
            attempts.incrementAndGet();
            throw new ProviderHttpException(400, "{\"error\":\"max_tokens: 999999 > 8192\"}", null, null);
        })).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
            assertThat(e.getMessage()).contains("HTTP 400", "max_tokens: 999999 > 8192", "(1 attempt)");
        });
        assertThat(attempts).hasValue(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void anInterruptedWaitStopsRetryingAndKeepsTheInterrupt() {
        ResilientCall call = new ResilientCall(EXACT, duration -> {
            throw new InterruptedException("worker stopping");
        }, Clock.systemUTC());

        assertThatThrownBy(() -> call.call("test model", () -> {
            attempts.incrementAndGet();
            throw new InternalServerException(new ProviderHttpException(500, "oops", null, null));
        })).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
            assertThat(e.getMessage()).contains("interrupted");
        });
        assertThat(attempts).hasValue(1);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aLongBodyIsCutInTheMessage() {
        ResilientCall call = new ResilientCall(new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0), sleeper,
                Clock.systemUTC());

        assertThatThrownBy(() -> call.call("test model", () -> {
            throw new ProviderHttpException(503, "x".repeat(10_000), null, null);
        })).isInstanceOfSatisfying(ModelCallException.class,
                e -> assertThat(e.getMessage()).hasSizeLessThan(400).contains("x".repeat(300) + "..."));
    }
}
