package dev.tierflow.local.dashboard;

import dev.tierflow.policy.Pin;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.PolicyRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The routing rules in force and where each came from: the policy file's static rules (role → tier,
 * the default tier, compliance pins) merged with the live rules of the compacted {@code policy} topic
 * (source ALERT or OPERATOR), where a tombstone removes a scope's live rule and an expired rule no longer
 * applies (the router ignores it from {@code expiresAt} on). A live rule on a scope the file also names
 * replaces the file's rule, and its row says which tier it overrides. Not thread-safe: {@link DashboardData} guards it.
 */
final class EffectivePolicy {

    /** The scope shown for the default tier: it applies to every task no other rule decides. */
    static final String DEFAULT_SCOPE = "*";
    static final String FILE = "FILE";

    private final RoutingPolicy file;
    private final Map<String, Snapshot.PolicyRow> fileRules;
    private final Map<String, PolicyRule> liveRules = new TreeMap<>();

    EffectivePolicy(RoutingPolicy file) {
        this.file = file;
        this.fileRules = fileRules(file);
    }

    private static Map<String, Snapshot.PolicyRow> fileRules(RoutingPolicy policy) {
        Map<String, Snapshot.PolicyRow> rules = new LinkedHashMap<>();
        new TreeMap<>(policy.roleTiers()).forEach((role, tier) -> rules.put("role=" + role, new Snapshot.PolicyRow("role=" + role,
                tier.name(), null, FILE, "roles: " + role + " → " + tier.name(), null, null, null, null, false, null)));
        for (Pin pin : policy.pins()) {
            String scope = pinScope(pin);
            rules.put(scope, new Snapshot.PolicyRow(scope, pin.tier().name(), pin.model(), FILE,
                    "compliance pin " + pin.name() + ": nothing automatic moves it", null, null, null, null, true, null));
        }
        rules.put(DEFAULT_SCOPE, new Snapshot.PolicyRow(DEFAULT_SCOPE, policy.defaultTier().name(), null, FILE,
                "defaultTier: where a task goes when no other rule decides", null, null, null, null, false, null));
        return rules;
    }

    /** The pin's conditions in scope syntax ({@code tenant=acme-health/role=worker}), attributes last. */
    private static String pinScope(Pin pin) {
        Stream<String> keys = Stream.of(part("tenant", pin.tenant()), part("role", pin.role()), part("type", pin.taskType()));
        Stream<String> attributes = pin.attributes() == null ? Stream.empty()
                : new TreeMap<>(pin.attributes()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue());
        String scope = Stream.concat(keys, attributes).filter(part -> part != null).collect(Collectors.joining("/"));
        return scope.isEmpty() ? "pin " + pin.name() : scope;
    }

    private static String part(String key, String value) {
        return value == null ? null : key + "=" + value;
    }

    /** A record of the policy topic: a rule, or null for a tombstone. */
    void apply(String scope, PolicyRule rule) {
        if (rule == null) {
            liveRules.remove(scope);
        } else {
            liveRules.put(scope, rule);
        }
    }

    Snapshot.Policy snapshot(Instant now) {
        Map<String, Snapshot.PolicyRow> rows = new TreeMap<>(Comparator.comparing((String scope) -> scope.equals(DEFAULT_SCOPE))
                .thenComparing(Comparator.naturalOrder()));
        rows.putAll(fileRules);
        liveRules.forEach((scope, rule) -> {
            Snapshot.PolicyRow fileRule = fileRules.get(scope);
            boolean expired = rule.getExpiresAt() != null && !rule.getExpiresAt().isAfter(now);
            // a compliance pin wins over any live rule in the router, so the pin stays the rule in force
            if (!expired && (fileRule == null || !fileRule.pinned())) {
                rows.put(scope, liveRow(scope, rule, fileRule == null ? null : fileRule.tier()));
            }
        });
        return new Snapshot.Policy(file.version(), file.defaultTier().name(), new ArrayList<>(rows.values()));
    }

    private static Snapshot.PolicyRow liveRow(String scope, PolicyRule rule, String fileTier) {
        return new Snapshot.PolicyRow(scope, rule.getTier(), rule.getModel(), String.valueOf(rule.getSource()), rule.getReason(),
                rule.getVersion(), rule.getUpdatedAt().toEpochMilli(), rule.getExpiresAt() == null ? null : rule.getExpiresAt().toEpochMilli(),
                rule.getCausedByAlertId(), rule.getPinned(), fileTier);
    }
}
