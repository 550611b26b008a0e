package dev.tierflow.attribution.join;

/** Where the join puts the timer of an attempt that starts to wait, instead of registering it at once. */
@FunctionalInterface
interface DeferredTimers {
    void defer(String key, long deadline);
}
