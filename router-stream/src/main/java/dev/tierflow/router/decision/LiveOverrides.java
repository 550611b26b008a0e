package dev.tierflow.router.decision;

import dev.tierflow.policy.live.LiveOverride;
import dev.tierflow.policy.live.Scope;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An immutable snapshot of the live overrides. Lookup returns the most specific active override that
 * matches a task: tenant+role+type, role+type, tenant+role, tenant+type, role, type, tenant.
 */
public final class LiveOverrides {

    private static final int[] MOST_SPECIFIC_FIRST = {
        Scope.TENANT | Scope.ROLE | Scope.TYPE,
        Scope.ROLE | Scope.TYPE,
        Scope.TENANT | Scope.ROLE,
        Scope.TENANT | Scope.TYPE,
        Scope.ROLE,
        Scope.TYPE,
        Scope.TENANT,
    };

    public static final LiveOverrides EMPTY = new LiveOverrides(Map.of());

    private final Map<Scope, LiveOverride> byScope;
    /** Only the shapes some override has, so a task costs one lookup per shape in use, not seven. */
    private final int[] shapesInUse;

    private LiveOverrides(Map<Scope, LiveOverride> byScope) {
        this.byScope = Map.copyOf(byScope);
        this.shapesInUse = Arrays.stream(MOST_SPECIFIC_FIRST)
                .filter(shape -> byScope.keySet().stream().anyMatch(scope -> scope.shape() == shape))
                .toArray();
    }

    /** The most specific active override for a task, or null. */
    public LiveOverride find(String tenant, String role, String type, long nowMs) {
        for (int shape : shapesInUse) {
            LiveOverride candidate = byScope.get(Scope.of(shape, tenant, role, type));
            if (candidate != null && candidate.activeAt(nowMs)) {
                return candidate;
            }
        }
        return null;
    }

    public LiveOverrides with(LiveOverride override) {
        Map<Scope, LiveOverride> next = new HashMap<>(byScope);
        next.put(override.scope(), override);
        return new LiveOverrides(next);
    }

    public LiveOverrides without(Scope scope) {
        if (!byScope.containsKey(scope)) {
            return this;
        }
        Map<Scope, LiveOverride> next = new HashMap<>(byScope);
        next.remove(scope);
        return new LiveOverrides(next);
    }

    public static LiveOverrides of(Iterable<LiveOverride> overrides) {
        Map<Scope, LiveOverride> map = new HashMap<>();
        overrides.forEach(o -> map.put(o.scope(), o));
        return new LiveOverrides(map);
    }

    public Map<Scope, LiveOverride> asMap() {
        return byScope;
    }

    public int size() {
        return byScope.size();
    }
}
