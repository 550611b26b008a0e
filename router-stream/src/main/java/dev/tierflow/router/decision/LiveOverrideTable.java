package dev.tierflow.router.decision;

import java.util.function.UnaryOperator;

/**
 * The overrides in force, shared between the thread that reads the {@code policy} topic (one writer)
 * and the stream threads that route (many readers). Readers see whole snapshots, never a half update.
 */
public final class LiveOverrideTable {

    private volatile LiveOverrides current = LiveOverrides.EMPTY;

    public LiveOverrides current() {
        return current;
    }

    public void update(UnaryOperator<LiveOverrides> change) {
        current = change.apply(current);
    }

    public void replace(LiveOverrides overrides) {
        current = overrides;
    }
}
