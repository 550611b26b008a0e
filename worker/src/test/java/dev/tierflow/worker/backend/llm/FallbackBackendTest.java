package dev.tierflow.worker.backend.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelCallException.Kind;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The fallback decision on its own, with backends that answer as told. */
class FallbackBackendTest {

    private final List<String> calledModels = new ArrayList<>();

    @Test
    void aRefusedRequestDoesNotFallBack() {
        FallbackBackend backend = new FallbackBackend(failing(Kind.INVALID_REQUEST), answering(), "small-model");

        assertThatThrownBy(() -> backend.call(LlmRequests.request("p", "big-model", 10)))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST));
        assertThat(calledModels).containsExactly("big-model");
    }

    @Test
    void aTimeoutFallsBackAndTheLatencyCoversBothTries() throws Exception {
        AtomicLong nanos = new AtomicLong();
        ModelBackend slowFailure = request -> {
            calledModels.add(request.model());
            nanos.addAndGet(4_000_000_000L);
            throw new ModelCallException(Kind.TIMEOUT, "no answer");
        };
        ModelBackend quick = request -> {
            calledModels.add(request.model());
            nanos.addAndGet(1_000_000_000L);
            return response(request, 1_000);
        };
        FallbackBackend backend = new FallbackBackend(slowFailure, quick, "small-model", nanos::get);

        ModelResponse response = backend.call(LlmRequests.request("p", "big-model", 10));

        assertThat(calledModels).containsExactly("big-model", "small-model");
        assertThat(response.model()).isEqualTo("small-model");
        assertThat(response.fallbackFrom()).isEqualTo("big-model");
        assertThat(response.latencyMs()).isEqualTo(5_000);
    }

    @Test
    void aRequestAlreadyOnTheFallbackModelDoesNotFallBackAgain() {
        FallbackBackend backend = new FallbackBackend(failing(Kind.PROVIDER_ERROR), answering(), "small-model");

        assertThatThrownBy(() -> backend.call(LlmRequests.request("p", "small-model", 10)))
                .isInstanceOf(ModelCallException.class);
        assertThat(calledModels).containsExactly("small-model");
    }

    @Test
    void theSharedBackendIsClosedOnce() {
        AtomicInteger closes = new AtomicInteger();
        ModelBackend shared = new ModelBackend() {
            @Override
            public ModelResponse call(ModelRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };

        new FallbackBackend(shared, shared, "small-model").close();

        assertThat(closes).hasValue(1);
    }

    private ModelBackend failing(Kind kind) {
        return request -> {
            calledModels.add(request.model());
            throw new ModelCallException(kind, "failed");
        };
    }

    private ModelBackend answering() {
        return request -> {
            calledModels.add(request.model());
            return response(request, 5);
        };
    }

    private static ModelResponse response(ModelRequest request, long latencyMs) {
        return new ModelResponse("ok", request.model(), "p", null, 10, 1, 0, FinishReason.STOP, null, null, latencyMs);
    }
}
