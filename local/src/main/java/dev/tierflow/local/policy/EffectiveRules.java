package dev.tierflow.local.policy;

import dev.tierflow.policy.Pin;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.live.LiveOverride;
import dev.tierflow.router.decision.LiveOverrides;
import dev.tierflow.policy.live.OverrideValidator;
import dev.tierflow.router.decision.RoutingDecision;
import dev.tierflow.policy.live.Scope;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.router.decision.TaskRouter;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.RoutingRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The effective policy, scope by scope: every rule that applies to a task of the scope (the file's pins,
 * role rules and default, the live overrides of the policy topic) and which one wins. The winner is not
 * worked out here: a task of the scope is put to the router's own {@link TaskRouter} with the live
 * overrides as the router holds them ({@link OverrideValidator}, {@link LiveOverrides}), and the rule it
 * reports is marked. A scope's task has no hint attribute, no input tokens and is a first attempt.
 */
public final class EffectiveRules {

    /** Stands for the values a scope leaves open: it matches no rule that names a value. */
    static final String ANY = "(any)";
    static final String DEFAULT_SCOPE = "*";
    static final String WINS = "WINS";

    /** One rule that applies to the scope; {@code status} is WINS, expired, rejected: ..., or empty. */
    public record Row(RoutingRule rule, String detail, String source, String tier, String model, String version,
                      String expires, String causedBy, String reason, String status) {
    }

    public record ScopeRules(String scope, List<Row> rows) {
    }

    /** A scope to show, with the task that stands for it. */
    private record ScopeTask(String label, Scope scope, Map<String, String> attributes) {
    }

    private final RoutingPolicy policy;
    private final TaskRouter router;
    private final Map<String, PolicyRule> live;
    private final Map<String, LiveOverride> valid = new TreeMap<>();
    private final Map<String, String> rejected = new TreeMap<>();
    private final LiveOverrides overrides;
    private final Instant now;

    private EffectiveRules(RoutingPolicy policy, PriceCatalog prices, Map<String, PolicyRule> live, Instant now) {
        this.policy = policy;
        this.router = new TaskRouter(policy);
        this.live = live;
        this.now = now;
        OverrideValidator validator = new OverrideValidator(policy, prices);
        live.forEach((key, rule) -> {
            try {
                valid.put(key, validator.validate(key, rule));
            } catch (IllegalArgumentException e) {
                rejected.put(key, e.getMessage());
            }
        });
        this.overrides = LiveOverrides.of(valid.values());
    }

    /**
     * @param prices the price catalog the router runs with: it rejects overrides naming a model without a price
     * @param live the latest rule of each scope on the policy topic (scope key → rule), empty when offline
     */
    public static List<ScopeRules> of(RoutingPolicy policy, PriceCatalog prices, Map<String, PolicyRule> live, Instant now) {
        EffectiveRules rules = new EffectiveRules(policy, prices, live, now);
        return rules.scopes().stream().map(rules::rulesOf).toList();
    }

    private List<ScopeTask> scopes() {
        Map<String, ScopeTask> scopes = new TreeMap<>(Comparator.comparing((String label) -> label.equals(DEFAULT_SCOPE))
                .thenComparing(Comparator.naturalOrder()));
        policy.roleTiers().keySet().forEach(role -> put(scopes, new Scope(null, role, null), Map.of()));
        policy.pins().forEach(pin -> put(scopes, new Scope(pin.tenant(), pin.role(), pin.taskType()), pin.attributes()));
        live.keySet().forEach(key -> {
            try {
                put(scopes, Scope.parse(key), Map.of());
            } catch (IllegalArgumentException e) {
                scopes.put(key, new ScopeTask(key, null, Map.of())); // the router rejects it: shown with that reason
            }
        });
        scopes.put(DEFAULT_SCOPE, new ScopeTask(DEFAULT_SCOPE, new Scope(null, null, null), Map.of()));
        return new ArrayList<>(scopes.values());
    }

    private static void put(Map<String, ScopeTask> scopes, Scope scope, Map<String, String> attributes) {
        StringBuilder label = new StringBuilder(scope.toString());
        new TreeMap<>(attributes).forEach((key, value) -> label.append(label.isEmpty() ? "" : "/").append(key).append('=').append(value));
        scopes.put(label.toString(), new ScopeTask(label.toString(), scope, attributes));
    }

    private ScopeRules rulesOf(ScopeTask scope) {
        List<Row> rows = new ArrayList<>();
        if (scope.scope() == null) {
            rows.add(liveRow(scope.label(), scope.label(), "rejected: " + rejected.get(scope.label())));
            return new ScopeRules(scope.label(), rows);
        }
        AgentTask task = task(scope);
        RoutingDecision decision = router.decide(task, overrides, now.toEpochMilli());
        for (Pin pin : policy.pins()) {
            if (pin.matches(task.getTenant(), task.getRole(), task.getTaskType(), task.getAttributes())) {
                rows.add(fileRow(RoutingRule.PIN, pin.ruleDetail(), pin.tier(), pin.model(), "compliance pin: nothing automatic moves it"));
            }
        }
        valid.forEach((key, override) -> {
            if (LiveOverrides.of(List.of(override)).find(task.getTenant(), task.getRole(), task.getTaskType(), Long.MIN_VALUE) != null) {
                rows.add(liveRow(key, override.ruleDetail(), override.activeAt(now.toEpochMilli()) ? "" : "expired"));
            }
        });
        if (rejected.containsKey(scope.label())) {
            rows.add(liveRow(scope.label(), scope.label(), "rejected: " + rejected.get(scope.label())));
        }
        Tier roleTier = policy.tierForRole(task.getRole());
        if (roleTier != null) {
            rows.add(fileRow(RoutingRule.STATIC_RULE, policy.roleRuleDetail(task.getRole()), roleTier, null, "roles: " + task.getRole()));
        }
        if (decision.rule() == RoutingRule.CLASSIFIER) {
            rows.add(fileRow(RoutingRule.CLASSIFIER, decision.ruleDetail(), decision.tier(), null, "classifier (no hint, 0 input tokens)"));
        }
        rows.add(fileRow(RoutingRule.DEFAULT, "defaultTier", policy.defaultTier(), null, "where a task goes when no other rule decides"));
        return new ScopeRules(scope.label(), markWinner(rows, decision));
    }

    private static List<Row> markWinner(List<Row> rows, RoutingDecision decision) {
        return rows.stream().map(row -> row.rule() == decision.rule() && row.detail().equals(decision.ruleDetail())
                ? new Row(row.rule(), row.detail(), row.source(), row.tier(), row.model(), row.version(), row.expires(), row.causedBy(),
                        row.reason(), WINS)
                : row).toList();
    }

    private AgentTask task(ScopeTask scope) {
        Scope s = scope.scope();
        return AgentTask.newBuilder().setTaskId("policy-show").setRunId("policy-show")
                .setTenant(s.tenant() != null ? s.tenant() : ANY).setRole(s.role() != null ? s.role() : ANY)
                .setTaskType(s.type() != null ? s.type() : ANY).setAttributes(new LinkedHashMap<>(scope.attributes()))
                .setCreatedAt(now).build();
    }

    private Row fileRow(RoutingRule rule, String detail, Tier tier, String model, String reason) {
        return new Row(rule, detail, "FILE", tier.name(), model != null ? model : tier.model(), policy.version(), null, null, reason, "");
    }

    private Row liveRow(String key, String detail, String status) {
        PolicyRule rule = live.get(key);
        return new Row(RoutingRule.LIVE_OVERRIDE, detail, String.valueOf(rule.getSource()), rule.getTier(), rule.getModel(),
                "v" + rule.getVersion(), rule.getExpiresAt() == null ? "never" : rule.getExpiresAt().toString(), rule.getCausedByAlertId(),
                rule.getReason(), status);
    }
}
