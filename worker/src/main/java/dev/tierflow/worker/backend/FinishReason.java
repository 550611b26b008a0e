package dev.tierflow.worker.backend;

/** Why a model stopped generating. */
public enum FinishReason {
    /** It finished its answer. */
    STOP,
    /** It hit the output token budget: the answer is cut off. */
    LENGTH,
    /** Anything else the provider reports (content filter, tool call...). */
    OTHER
}
