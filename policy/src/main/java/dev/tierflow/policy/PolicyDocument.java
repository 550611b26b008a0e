package dev.tierflow.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The policy file as written: a direct mapping of the YAML, before validation. {@link PolicyLoader}
 * turns it into a {@link RoutingPolicy} or refuses it with every problem named.
 */
public record PolicyDocument(
        @JsonProperty("version") String version,
        @JsonProperty("tiers") List<TierDocument> tiers,
        @JsonProperty("defaultTier") String defaultTier,
        @JsonProperty("maxAttempts") Integer maxAttempts,
        @JsonProperty("roles") Map<String, String> roles,
        @JsonProperty("budgets") BudgetsDocument budgets,
        @JsonProperty("pins") List<PinDocument> pins,
        @JsonProperty("classifier") ClassifierDocument classifier,
        @JsonProperty("alerting") AlertingDocument alerting) {

    public record TierDocument(
            @JsonProperty("name") String name,
            @JsonProperty("model") String model,
            @JsonProperty("provider") String provider,
            @JsonProperty("backend") BackendDocument backend) {
    }

    public record BackendDocument(
            @JsonProperty("type") String type,
            @JsonProperty("baseUrl") String baseUrl,
            @JsonProperty("apiKeyEnv") String apiKeyEnv,
            @JsonProperty("timeout") String timeout,
            @JsonProperty("maxRetries") Integer maxRetries,
            @JsonProperty("fallbackModel") String fallbackModel,
            @JsonProperty("file") String file,
            @JsonProperty("recordedModels") Map<String, String> recordedModels) {
    }

    public record BudgetsDocument(
            @JsonProperty("default") Integer defaultMaxOutputTokens,
            @JsonProperty("taskTypes") Map<String, Integer> taskTypes) {
    }

    public record PinDocument(
            @JsonProperty("name") String name,
            @JsonProperty("match") PinMatchDocument match,
            @JsonProperty("tier") String tier,
            @JsonProperty("model") String model,
            @JsonProperty("provider") String provider,
            @JsonProperty("maxOutputTokens") Integer maxOutputTokens) {
    }

    public record PinMatchDocument(
            @JsonProperty("tenant") String tenant,
            @JsonProperty("role") String role,
            @JsonProperty("taskType") String taskType,
            @JsonProperty("attributes") Map<String, String> attributes) {
    }

    public record ClassifierDocument(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("hints") Map<String, String> hints,
            @JsonProperty("taskTypes") Map<String, String> taskTypes,
            @JsonProperty("inputTokens") List<SizeRuleDocument> inputTokens) {
    }

    public record SizeRuleDocument(
            @JsonProperty("atLeast") Integer atLeast,
            @JsonProperty("tier") String tier) {
    }

    /** Money as BigDecimal, so 2.50 USD becomes 2,500,000 micros exactly, never via a binary double. */
    public record AlertingDocument(
            @JsonProperty("qualityFloors") List<QualityFloorDocument> qualityFloors,
            @JsonProperty("costCeilings") List<CostCeilingDocument> costCeilings,
            @JsonProperty("tenantBudgets") List<TenantBudgetDocument> tenantBudgets,
            @JsonProperty("stuckTasks") StuckTasksDocument stuckTasks,
            @JsonProperty("deadLetters") DeadLettersDocument deadLetters,
            @JsonProperty("hysteresis") Double hysteresis,
            @JsonProperty("headroom") Double headroom,
            @JsonProperty("cooldown") String cooldown,
            @JsonProperty("probation") String probation,
            @JsonProperty("maxChangesPerHour") Integer maxChangesPerHour,
            @JsonProperty("overrideTtl") String overrideTtl) {
    }

    public record QualityFloorDocument(
            @JsonProperty("scope") String scope,
            @JsonProperty("floor") Double floor,
            @JsonProperty("minSamples") Integer minSamples) {
    }

    public record CostCeilingDocument(
            @JsonProperty("scope") String scope,
            @JsonProperty("usdPerHour") BigDecimal usdPerHour) {
    }

    public record TenantBudgetDocument(
            @JsonProperty("tenant") String tenant,
            @JsonProperty("dailyUsd") BigDecimal dailyUsd,
            @JsonProperty("monthlyUsd") BigDecimal monthlyUsd,
            @JsonProperty("warnAt") List<Double> warnAt) {
    }

    public record StuckTasksDocument(@JsonProperty("maxPerWindow") Integer maxPerWindow) {
    }

    public record DeadLettersDocument(@JsonProperty("maxPerMinute") Integer maxPerMinute) {
    }
}
