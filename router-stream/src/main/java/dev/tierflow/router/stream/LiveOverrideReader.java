package dev.tierflow.router.stream;

import dev.tierflow.policy.live.LiveOverride;
import dev.tierflow.policy.live.OverrideValidator;
import dev.tierflow.policy.live.Scope;
import dev.tierflow.router.RouterMetrics;
import dev.tierflow.router.decision.LiveOverrideTable;
import dev.tierflow.router.decision.LiveOverrides;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RegistryFailures;
import dev.tierflow.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records of the {@code policy} topic into the {@link LiveOverrideTable}: the latest record of a
 * scope is what counts, so an invalid one leaves the scope with no override. A record that cannot be
 * read because the registry is unreachable is neither invalid nor a removal: it is held as bytes, and
 * routing waits ({@link #awaitPending}) until it has been read, retried with backoff, so no override
 * (an operator's freeze included) is ever skipped for an outage.
 *
 * <p>Written by the global thread (records as they arrive) and by stream threads (retries); every
 * change is made under this object's lock, so a retry of an old record never lands over a newer one.
 */
final class LiveOverrideReader {

    private static final Logger LOG = LoggerFactory.getLogger(LiveOverrideReader.class);

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Deserializer<PolicyRule> ruleDeserializer;
    private final OverrideValidator validator;
    private final LiveOverrideTable table;
    private final RouterMetrics metrics;
    /** Scope key → record bytes not yet read for an outage, in arrival order. */
    private final Map<String, byte[]> pending = new LinkedHashMap<>();
    /** Read without the lock on every task routed: the hot path pays one volatile read. */
    private volatile boolean hasPending;
    private long nextAttemptAtMs;
    private long backoffMs = FIRST_BACKOFF.toMillis();

    LiveOverrideReader(Deserializer<PolicyRule> ruleDeserializer, OverrideValidator validator, LiveOverrideTable table, RouterMetrics metrics) {
        this.ruleDeserializer = ruleDeserializer;
        this.validator = validator;
        this.table = table;
        this.metrics = metrics;
    }

    /** Everything a restored store holds, replacing the table (records waiting for the registry are held). */
    synchronized void rebuild(Map<String, byte[]> stored) {
        pending.clear();
        List<LiveOverride> valid = new ArrayList<>();
        stored.forEach((key, value) -> {
            Outcome outcome = read(key, value);
            if (outcome.override() != null) {
                valid.add(outcome.override());
            } else if (outcome.waitsForRegistry()) {
                hold(key, value);
            }
        });
        table.replace(LiveOverrides.of(valid));
        updatePendingFlag();
        metrics.activeOverrides(table.current().size());
    }

    /** The latest record of a scope. */
    synchronized void put(String key, byte[] value) {
        pending.remove(key);
        apply(key, value);
        updatePendingFlag();
        metrics.activeOverrides(table.current().size());
    }

    /** A tombstone: the scope has no override any more. */
    synchronized void remove(String key) {
        pending.remove(key);
        removeScope(key);
        updatePendingFlag();
        metrics.overrideRemoved();
        metrics.activeOverrides(table.current().size());
        LOG.info("Removed live override for {}", key);
    }

    /**
     * Returns at once when every policy record has been read. Otherwise retries the held ones (at most once
     * per backoff interval) and throws {@link SchemaRegistryUnavailableException} while any still waits for
     * the registry, so the task is not routed without an override it may be subject to: it is retried
     * from the last commit, never dead-lettered.
     */
    void awaitPending(long nowMs) {
        if (!hasPending) {
            return;
        }
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            if (nowMs >= nextAttemptAtMs) {
                retry(nowMs);
            }
            if (!pending.isEmpty()) {
                throw new SchemaRegistryUnavailableException(pending.size() + " policy record(s) " + pending.keySet()
                        + " wait for the schema registry (next try in " + Math.max(0, nextAttemptAtMs - nowMs)
                        + " ms); tasks are not routed without them", null);
            }
        }
    }

    /** The scope keys whose records wait for the registry. */
    synchronized List<String> pendingScopes() {
        return List.copyOf(pending.keySet());
    }

    private void retry(long nowMs) {
        Map<String, byte[]> waiting = new LinkedHashMap<>(pending);
        pending.clear();
        boolean stillDown = false;
        for (Map.Entry<String, byte[]> record : waiting.entrySet()) {
            if (stillDown) {
                pending.put(record.getKey(), record.getValue());
            } else {
                stillDown = !apply(record.getKey(), record.getValue());
            }
        }
        if (stillDown) {
            nextAttemptAtMs = nowMs + backoffMs;
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        } else {
            backoffMs = FIRST_BACKOFF.toMillis();
            LOG.info("The schema registry answers again: {} held policy record(s) read", waiting.size());
        }
        updatePendingFlag();
        metrics.activeOverrides(table.current().size());
    }

    /** Reads one record into the table; false when it waits for the registry (then it is held). */
    private boolean apply(String key, byte[] value) {
        Outcome outcome = read(key, value);
        if (outcome.waitsForRegistry()) {
            hold(key, value);
            return false;
        }
        if (outcome.override() == null) {
            removeScope(key);
        } else {
            table.update(current -> current.with(outcome.override()));
            metrics.overrideApplied();
            LOG.info("Applied live override {}", outcome.override());
        }
        return true;
    }

    /** Held records are first retried by the next task routed; the backoff starts once a retry fails too. */
    private void hold(String key, byte[] value) {
        pending.put(key, value);
        metrics.overrideWaitingForRegistry();
    }

    private void updatePendingFlag() {
        hasPending = !pending.isEmpty();
    }

    private void removeScope(String key) {
        Scope scope = Scope.ofKey(key);
        if (scope != null) {
            table.update(current -> current.without(scope));
        }
        // else nothing was ever applied under this key: it is no scope's own key
    }

    /** What a record says: an override, a rejection (logged and counted), or nothing yet (the registry is unreachable). */
    private Outcome read(String key, byte[] value) {
        PolicyRule rule;
        try {
            rule = ruleDeserializer.deserialize(Topics.POLICY.name(), value);
        } catch (RuntimeException e) {
            if (RegistryFailures.causedByUnreachableRegistry(e)) {
                LOG.warn("Policy record for '{}' held until the schema registry answers: {}", key, e.toString());
                return Outcome.WAITS_FOR_REGISTRY;
            }
            return rejected(key, "unreadable: " + e.getMessage());
        }
        if (rule == null) {
            return rejected(key, "decoder returned no rule");
        }
        try {
            return new Outcome(validator.validate(key, rule), false);
        } catch (RuntimeException e) {
            return rejected(key, e.getMessage());
        }
    }

    private Outcome rejected(String key, String why) {
        metrics.overrideRejected();
        LOG.warn("Rejected live override for '{}': {}", key, why);
        return Outcome.REJECTED;
    }

    private record Outcome(LiveOverride override, boolean waitsForRegistry) {
        static final Outcome REJECTED = new Outcome(null, false);
        static final Outcome WAITS_FOR_REGISTRY = new Outcome(null, true);
    }
}
