package dev.tierflow.local.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each section of the diff on the example policy against a copy with one kind of change. */
class PolicyDiffTest {

    private static String example;

    @BeforeAll
    static void readExample() throws Exception {
        example = Files.readString(Path.of("../examples/policy.yaml"));
    }

    private static RoutingPolicy parse(String yaml) {
        return PolicyLoader.parse(yaml, "test.yaml");
    }

    /** The diff of the example against the example with each {@code from[i]} replaced by {@code to[i]}. */
    private static List<PolicyDiff.Section> diffAfter(String... fromTo) {
        String changed = example;
        for (int i = 0; i < fromTo.length; i += 2) {
            assertThat(changed).as("the example policy has '" + fromTo[i] + "'").contains(fromTo[i]);
            changed = changed.replace(fromTo[i], fromTo[i + 1]);
        }
        return PolicyDiff.between(parse(example), parse(changed));
    }

    @Test
    void identicalPoliciesHaveNoDifferences() {
        assertThat(PolicyDiff.between(parse(example), parse(example))).isEmpty();
    }

    @Test
    void generalSettings() {
        assertThat(diffAfter("version: \"2026-11-23.2\"", "version: \"2026-11-24.1\"", "maxAttempts: 3", "maxAttempts: 4"))
                .containsExactly(new PolicyDiff.Section("general", List.of(
                        "~ maxAttempts: 3 -> 4",
                        "~ version: 2026-11-23.2 -> 2026-11-24.1")));
    }

    @Test
    void tiersChangedAddedAndRemoved() {
        List<PolicyDiff.Section> diff = diffAfter(
                "model: claude-sonnet-4-5\n", "model: claude-sonnet-5\n",
                "    model: claude-opus-4-6\n    provider: anthropic\n",
                "    model: claude-opus-4-6\n    provider: anthropic\n  - name: huge\n    model: claude-opus-5\n    provider: anthropic\n");

        assertThat(diff).hasSize(1);
        assertThat(diff.get(0).name()).isEqualTo("tiers");
        assertThat(diff.get(0).changes()).containsExactly(
                "+ huge: rank=3, model=claude-opus-5, provider=anthropic, backend.type=simulator, backend.timeout=PT1M, backend.maxRetries=3",
                "~ mid.model: claude-sonnet-4-5 -> claude-sonnet-5");
    }

    @Test
    void taskTypeBudgets() {
        assertThat(diffAfter("    extract: 512\n", "    extract: 640\n", "    classify: 64\n", "", "  default: 1024", "  default: 2048"))
                .containsExactly(new PolicyDiff.Section("budgets", List.of(
                        "~ default: 1024 -> 2048",
                        "- taskTypes.classify: 64",
                        "~ taskTypes.extract: 512 -> 640")));
    }

    @Test
    void routingRulesAndTheClassifier() {
        assertThat(diffAfter("  reviewer: small\n", "  reviewer: mid\n  critic: frontier\n", "    mechanical: small\n", ""))
                .containsExactly(new PolicyDiff.Section("routing rules", List.of(
                        "- classifier.hints.mechanical: small",
                        "+ roles.critic: frontier",
                        "~ roles.reviewer: small -> mid")));
    }

    @Test
    void pins() {
        assertThat(diffAfter("model: claude-sonnet-4-5-eu", "model: claude-sonnet-5-eu", "      tenant: acme-health\n",
                "      tenant: acme-health\n      role: worker\n"))
                .containsExactly(new PolicyDiff.Section("pins", List.of(
                        "~ acme-health-eu.model: claude-sonnet-4-5-eu -> claude-sonnet-5-eu",
                        "~ acme-health-eu.match.role: (none) -> worker")));
    }

    @Test
    void alertingRules() {
        assertThat(diffAfter("      usdPerHour: 2.50", "      usdPerHour: 3.25", "      dailyUsd: 50", "      dailyUsd: 60",
                "  stuckTasks:\n    maxPerWindow: 5", "  stuckTasks:\n    maxPerWindow: 8", "overrideTtl: PT2H", "overrideTtl: PT1H"))
                .containsExactly(new PolicyDiff.Section("alerting", List.of(
                        "~ costCeilings role=planner.usdPerHour: 2.5 -> 3.25",
                        "~ overrideTtl: PT2H -> PT1H",
                        "~ stuckTasks.maxPerWindow: 5 -> 8",
                        "~ tenantBudgets acme.dailyUsd: 50 -> 60")));
    }
}
