package dev.tierflow.attribution.join;

import dev.tierflow.attribution.model.NotedTimer;

/** Where the join notes the timer of an entry that starts to wait, instead of registering it at once. */
@FunctionalInterface
interface DeferredTimers {
    /**
     * @param waitingSince the entry's event time
     * @return the note, or null when the deadline is too near, or the entry too far behind the watermark, to
     *     defer: then the caller registers the timer
     */
    NotedTimer defer(String key, long waitingSince, long deadline);
}
