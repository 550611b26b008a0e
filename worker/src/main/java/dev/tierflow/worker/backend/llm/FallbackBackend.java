package dev.tierflow.worker.backend.llm;

import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelCallException.Kind;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A tier's model with a fallback model of the same tier: when the primary still fails after its retries with a
 * provider error or a timeout, the same request goes once to {@code fallbackModel} (on {@code fallback}, which may
 * be the primary backend itself, or another provider's). The response then names the fallback model and carries
 * {@code fallbackFrom} = the primary model, for the span; its latency covers both tries.
 *
 * <p>No fallback for a request the backend refused (INVALID_REQUEST, NOT_FOUND: the fallback would refuse it too),
 * for a request already on the fallback model, or when the thread was interrupted. When the fallback fails too,
 * the error names both failures and has the fallback's kind.
 */
public final class FallbackBackend implements ModelBackend {

    private final ModelBackend primary;
    private final ModelBackend fallback;
    private final String fallbackModel;
    private final LongSupplier nanoTime;

    public FallbackBackend(ModelBackend primary, ModelBackend fallback, String fallbackModel) {
        this(primary, fallback, fallbackModel, System::nanoTime);
    }

    FallbackBackend(ModelBackend primary, ModelBackend fallback, String fallbackModel, LongSupplier nanoTime) {
        if (primary == null || fallback == null) {
            throw new IllegalArgumentException("a fallback needs a primary and a fallback backend");
        }
        if (fallbackModel == null || fallbackModel.isBlank()) {
            throw new IllegalArgumentException("fallbackModel must name a model");
        }
        this.primary = primary;
        this.fallback = fallback;
        this.fallbackModel = fallbackModel;
        this.nanoTime = nanoTime;
    }

    public String fallbackModel() {
        return fallbackModel;
    }

    @Override
    public ModelResponse call(ModelRequest request) throws ModelCallException {
        long start = nanoTime.getAsLong();
        try {
            return primary.call(request);
        } catch (ModelCallException primaryFailure) {
            if (!fallsBack(primaryFailure, request)) {
                throw primaryFailure;
            }
            ModelResponse answer;
            try {
                answer = fallback.call(onFallback(request));
            } catch (ModelCallException fallbackFailure) {
                ModelCallException both = new ModelCallException(fallbackFailure.kind(),
                        fallbackFailure.getMessage() + "; after the tier's model failed: "
                                + primaryFailure.getMessage(), fallbackFailure);
                both.addSuppressed(primaryFailure);
                throw both;
            }
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start);
            return new ModelResponse(answer.text(), answer.model(), answer.provider(), request.model(),
                    answer.inputTokens(), answer.outputTokens(), answer.cachedInputTokens(), answer.finishReason(),
                    answer.quality(), answer.recordedCostMicros(), Math.max(latencyMs, answer.latencyMs()));
        }
    }

    private boolean fallsBack(ModelCallException failure, ModelRequest request) {
        return (failure.kind() == Kind.PROVIDER_ERROR || failure.kind() == Kind.TIMEOUT)
                && !fallbackModel.equals(request.model())
                && !Thread.currentThread().isInterrupted();
    }

    private ModelRequest onFallback(ModelRequest r) {
        return new ModelRequest(r.taskId(), r.attempt(), r.tenant(), r.role(), r.taskType(), r.tier(), r.provider(),
                fallbackModel, r.prompt(), r.inputRef(), r.inputTokensHint(), r.maxOutputTokens(), r.contract());
    }

    @Override
    public void close() {
        try {
            primary.close();
        } finally {
            if (fallback != primary) {
                fallback.close();
            }
        }
    }
}
