package dev.tierflow.worker.backend;

/**
 * One way of answering a task with a model: a real HTTP API, a local model server, the simulator, or a
 * replay of recorded outcomes. Chosen per tier in the policy. Implementations are thread-safe: a worker
 * calls one backend from many tasks at once.
 */
public interface ModelBackend extends AutoCloseable {

    /**
     * Calls the model once (retries and fallbacks, where a backend has them, happen inside).
     *
     * @throws ModelCallException when no answer could be had; the worker turns it into an ERROR span
     */
    ModelResponse call(ModelRequest request) throws ModelCallException;

    @Override
    default void close() {
    }
}
