package dev.tierflow.local.policy;

import dev.tierflow.policy.Classifier;
import dev.tierflow.policy.Pin;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import dev.tierflow.policy.WorkerBackend;
import dev.tierflow.policy.alerting.AlertingPolicy;
import dev.tierflow.policy.alerting.CostCeiling;
import dev.tierflow.policy.alerting.QualityFloor;
import dev.tierflow.policy.alerting.TenantBudget;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validated policy as plain facts to compare: section → item → field → value, in the file's terms
 * (tier names, dollars, ISO durations). An item with one unnamed field ({@link #VALUE}) is a single value.
 */
final class PolicyFacts {

    static final String VALUE = "";
    static final String GENERAL = "general";
    static final String TIERS = "tiers";
    static final String BUDGETS = "budgets";
    static final String ROUTING = "routing rules";
    static final String PINS = "pins";
    static final String ALERTING = "alerting";

    private final Map<String, Map<String, Map<String, String>>> sections = new LinkedHashMap<>();

    private PolicyFacts() {
        for (String section : new String[] {GENERAL, TIERS, BUDGETS, ROUTING, PINS, ALERTING}) {
            sections.put(section, new TreeMap<>());
        }
    }

    static Map<String, Map<String, Map<String, String>>> of(RoutingPolicy policy) {
        PolicyFacts facts = new PolicyFacts();
        facts.value(GENERAL, "version", policy.version());
        facts.value(GENERAL, "defaultTier", policy.defaultTier().name());
        facts.value(GENERAL, "maxAttempts", policy.maxAttempts());
        policy.tiers().forEach(facts::tier);
        facts.value(BUDGETS, "default", policy.defaultMaxOutputTokens());
        policy.taskTypeBudgets().forEach((type, tokens) -> facts.value(BUDGETS, "taskTypes." + type, tokens));
        policy.roleTiers().forEach((role, tier) -> facts.value(ROUTING, "roles." + role, tier.name()));
        facts.classifier(policy.classifier());
        policy.pins().forEach(facts::pin);
        facts.alerting(policy.alerting());
        return facts.sections;
    }

    private void tier(Tier tier) {
        Map<String, String> fields = item(TIERS, tier.name());
        put(fields, "rank", tier.rank());
        put(fields, "model", tier.model());
        put(fields, "provider", tier.provider());
        WorkerBackend backend = tier.backend();
        put(fields, "backend.type", backend.type());
        put(fields, "backend.baseUrl", backend.baseUrl());
        put(fields, "backend.apiKeyEnv", backend.apiKeyEnv());
        put(fields, "backend.timeout", backend.timeout());
        put(fields, "backend.maxRetries", backend.maxRetries());
        put(fields, "backend.fallbackModel", backend.fallbackModel());
        put(fields, "backend.file", backend.file());
        put(fields, "backend.recordedModels", backend.recordedModels().isEmpty() ? null : new TreeMap<>(backend.recordedModels()));
    }

    private void classifier(Classifier classifier) {
        value(ROUTING, "classifier.enabled", classifier.enabled());
        classifier.hints().forEach((hint, verdict) -> value(ROUTING, "classifier.hints." + hint, verdict.tier().name()));
        classifier.taskTypes().forEach((type, verdict) -> value(ROUTING, "classifier.taskTypes." + type, verdict.tier().name()));
        classifier.bySize().forEach(rule -> value(ROUTING, "classifier.inputTokens>=" + rule.atLeast(), rule.verdict().tier().name()));
    }

    private void pin(Pin pin) {
        Map<String, String> fields = item(PINS, pin.name());
        put(fields, "match.tenant", pin.tenant());
        put(fields, "match.role", pin.role());
        put(fields, "match.taskType", pin.taskType());
        pin.attributes().forEach((key, value) -> put(fields, "match.attributes." + key, value));
        put(fields, "tier", pin.tier().name());
        put(fields, "model", pin.model());
        put(fields, "provider", pin.provider());
        put(fields, "maxOutputTokens", pin.maxOutputTokens());
    }

    private void alerting(AlertingPolicy alerting) {
        for (QualityFloor floor : alerting.qualityFloors()) {
            Map<String, String> fields = item(ALERTING, "qualityFloors " + floor.scope());
            put(fields, "floor", floor.floor());
            put(fields, "minSamples", floor.minSamples());
        }
        for (CostCeiling ceiling : alerting.costCeilings()) {
            put(item(ALERTING, "costCeilings " + ceiling.scope()), "usdPerHour", dollars(ceiling.microsPerHour()));
        }
        for (TenantBudget budget : alerting.tenantBudgets()) {
            Map<String, String> fields = item(ALERTING, "tenantBudgets " + budget.tenant());
            put(fields, "dailyUsd", budget.dailyMicros() == null ? null : dollars(budget.dailyMicros()));
            put(fields, "monthlyUsd", budget.monthlyMicros() == null ? null : dollars(budget.monthlyMicros()));
            put(fields, "warnAt", budget.warnAt());
        }
        value(ALERTING, "stuckTasks.maxPerWindow", alerting.stuckTasks() == null ? null : alerting.stuckTasks().maxPerWindow());
        value(ALERTING, "deadLetters.maxPerMinute", alerting.deadLetters() == null ? null : alerting.deadLetters().maxPerMinute());
        value(ALERTING, "hysteresis", alerting.hysteresis());
        value(ALERTING, "headroom", alerting.headroom());
        value(ALERTING, "cooldown", alerting.cooldown());
        value(ALERTING, "probation", alerting.probation());
        value(ALERTING, "maxChangesPerHour", alerting.maxChangesPerHour());
        value(ALERTING, "overrideTtl", alerting.overrideTtl());
    }

    /** Micro-dollars as the file writes them: dollars, without trailing zeros. */
    private static String dollars(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private void value(String section, String item, Object value) {
        if (value != null) {
            put(item(section, item), VALUE, value);
        }
    }

    private Map<String, String> item(String section, String item) {
        return sections.get(section).computeIfAbsent(item, name -> new LinkedHashMap<>());
    }

    private static void put(Map<String, String> fields, String field, Object value) {
        if (value != null) {
            fields.put(field, value.toString());
        }
    }
}
