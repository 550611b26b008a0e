package dev.tierflow.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

    /** The smallest valid policy, to append the section under test to. */
    static final String TIERS = """
            version: "v1"
            tiers:
              - {name: small, model: s, provider: p}
              - {name: mid, model: m, provider: p}
            defaultTier: small
            """;

    @Test
    void theExamplePolicyInTheReadmeIsValid() {
        RoutingPolicy policy = PolicyLoader.load(Path.of("../examples/policy.yaml"));

        assertThat(policy.tiers()).extracting(Tier::name).containsExactly("small", "mid", "frontier");
        assertThat(policy.tierForRole("planner").name()).isEqualTo("frontier");
        assertThat(policy.tierForRole("worker").name()).isEqualTo("mid");
        assertThat(policy.tierForRole("file-ops").name()).isEqualTo("small");
        assertThat(policy.pins()).hasSize(1);
        assertThat(policy.budgetFor("plan")).isEqualTo(4096);
    }

    @Test
    void defaultsApplyWhereTheFileIsSilent() {
        RoutingPolicy policy = PolicyLoader.parse(TIERS, "inline");

        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(policy.defaultMaxOutputTokens()).isEqualTo(1024);
        assertThat(policy.classifier().enabled()).isFalse();
        assertThat(policy.tierAbove(policy.tier("mid")).name()).as("top tier caps").isEqualTo("mid");
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
        assertProblems(TIERS + "roles: {planner: mid}\nbudgets: {defualt: 100}\n", "budgets.defualt: unknown field (known fields here: default, taskTypes)");
    }

    @Test
    void everySemanticProblemIsNamedAtOnce() {
        String yaml = """
                tiers:
                  - {name: small, model: s, provider: p}
                  - {name: small, model: s2, provider: p}
                  - {name: "Big Tier", model: b, provider: p}
                  - {name: mid, provider: p}
                defaultTier: huge
                maxAttempts: 0
                roles: {planner: gigantic}
                budgets: {default: -1, taskTypes: {plan: 0}}
                pins:
                  - {name: everything, tier: mid, model: m}
                  - {name: eu, match: {tenant: acme}, tier: nowhere}
                classifier:
                  inputTokens: [{atLeast: -1, tier: small}, {tier: small}]
                """;
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "bad.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).containsExactlyInAnyOrder(
                        "version: is required (a string that changes with every edit, e.g. '2026-11-23.1')",
                        "tiers[1].name: duplicate tier 'small'",
                        "tiers[2].name: 'Big Tier' must match [a-z0-9][a-z0-9_-]{0,48} (lower-case letters, digits, '-' and '_')",
                        "tiers[3].model: is required",
                        "defaultTier: unknown tier 'huge' (tiers are small, mid)",
                        "maxAttempts: must be at least 1, was 0",
                        "roles.planner: unknown tier 'gigantic' (tiers are small, mid)",
                        "budgets.default: must be a positive number of tokens, was -1",
                        "budgets.taskTypes.plan: must be a positive number of tokens, was 0",
                        "pins[0].match: needs at least one of tenant, role, taskType, attributes (a pin matching everything is a default, not a pin)",
                        "pins[1].tier: unknown tier 'nowhere' (tiers are small, mid)",
                        "pins[1].model: is required: a pin fixes the model",
                        "classifier.inputTokens[0].atLeast: must not be negative, was -1",
                        "classifier.inputTokens[1].atLeast: is required"))
                .hasMessageStartingWith("invalid policy bad.yaml:");
    }

    @Test
    void aKeyGivenTwiceIsRefusedNotLastOneWins() {
        assertProblems(TIERS + "roles: {planner: small, planner: mid}\n", "roles.planner: is listed twice");
    }

    @Test
    void tiersDeclareTheirWorkersBackendAndDefaultToTheSimulator() {
        String yaml = """
                version: "v1"
                tiers:
                  - {name: small, model: s, provider: p}
                  - name: mid
                    model: claude-sonnet-4-5
                    provider: anthropic
                    backend: {type: anthropic, apiKeyEnv: ANTHROPIC_API_KEY, timeout: PT30S, maxRetries: 2, fallbackModel: claude-haiku-4-5}
                  - name: replayed
                    model: gpt-4
                    provider: openai
                    backend: {type: replay, file: routerbench.csv, recordedModels: {gpt-4: gpt-4-1106-preview}}
                defaultTier: small
                """;

        RoutingPolicy policy = PolicyLoader.parse(yaml, "inline");

        assertThat(policy.tier("small").backend()).isEqualTo(WorkerBackend.simulator());
        WorkerBackend mid = policy.tier("mid").backend();
        assertThat(mid.type()).isEqualTo("anthropic");
        assertThat(mid.apiKeyEnv()).isEqualTo("ANTHROPIC_API_KEY");
        assertThat(mid.timeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(mid.maxRetries()).isEqualTo(2);
        assertThat(mid.fallbackModel()).isEqualTo("claude-haiku-4-5");
        assertThat(policy.tier("replayed").backend().recordedModels()).containsEntry("gpt-4", "gpt-4-1106-preview");
    }

    @Test
    void backendProblemsAreNamed() {
        String yaml = """
                version: "v1"
                tiers:
                  - {name: a, model: m, provider: p, backend: {type: grpc}}
                  - {name: b, model: m, provider: p, backend: {type: openai, timeout: soon, maxRetries: -1}}
                  - {name: c, model: m, provider: p, backend: {type: replay}}
                defaultTier: a
                """;
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "inline"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).containsExactlyInAnyOrder(
                        "tiers[0].backend.type: must be one of simulator, replay, openai, anthropic, was 'grpc'",
                        "tiers[1].backend.apiKeyEnv: is required for openai: the environment variable holding the API key",
                        "tiers[1].backend.timeout: must be an ISO-8601 duration such as PT60S, was 'soon'",
                        "tiers[1].backend.maxRetries: must not be negative, was -1",
                        "tiers[2].backend.file: is required for replay: the file of recorded outcomes"));
    }

    @Test
    void dlqIsNotATierName() {
        assertProblems("version: v\ntiers: [{name: dlq, model: m, provider: p}]\ndefaultTier: dlq\n", "tiers[0].name: 'dlq' is reserved for tasks.dlq");
    }

    @Test
    void malformedYamlIsRefused() {
        assertProblems("version: 'unterminated\n", "(file): not valid YAML");
    }

    @Test
    void roleTypeAndTenantNamesThatWouldReadAsAnotherScopeAreRefused() {
        String yaml = TIERS + """
                roles: {"worker/type=extract": mid}
                budgets: {taskTypes: {"plan*": 100}}
                classifier: {taskTypes: {"a=b": mid}}
                pins:
                  - {name: p1, match: {tenant: "acme/x"}, tier: mid, model: m}
                  - {name: p2, match: {role: "r\\u0007"}, tier: mid, model: m}
                  - {name: p3, match: {taskType: "t=1"}, tier: mid, model: m}
                """;
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "inline"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).containsExactlyInAnyOrder(
                        "roles.worker/type=extract: 'worker/type=extract' must not contain '/' (it would read as another scope), at index 6",
                        "budgets.taskTypes.plan*: 'plan*' must not contain '*' (it would read as another scope), at index 4",
                        "classifier.taskTypes.a=b: 'a=b' must not contain '=' (it would read as another scope), at index 1",
                        "pins[0].match.tenant: 'acme/x' must not contain '/' (it would read as another scope), at index 4",
                        "pins[1].match.role: 'r\u0007' must not contain control characters or lone surrogates, found U+0007 at index 1",
                        "pins[2].match.taskType: 't=1' must not contain '=' (it would read as another scope), at index 1"));
    }

    @Test
    void emptyFileIsRefused() {
        assertProblems("", "(file): is empty");
    }

    private static void assertProblems(String yaml, String expectedStart) {
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "inline"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).anySatisfy(p -> assertThat(p).startsWith(expectedStart)));
    }
}
