package dev.tierflow.benchmarks;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.PolicySource;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A fixed, seeded stream of realistic {@link AgentTask}s: six agent roles (four fixed by the policy's
 * static rules, critic and researcher left to the classifier), several task types per role, classifier
 * hints on some, escalations, a pinned tenant, inline prompts of a few hundred bytes. The same seed always
 * gives the same tasks, so runs compare like with like.
 *
 * <p>Shares (of all tasks): worker 40%, researcher 15%, file-ops 12%, critic 10%, reviewer 10%, planner 8%,
 * other-agent 5% (no static rule, no type rule: sized by the classifier); tenant acme-health (pinned) 5%;
 * classifier hint on 20%; escalations 8% (attempt 1 or 2); requested budget on 30%; output contract on 25%.
 */
public final class TaskMix {

    /** The tenant the example policy pins (compliance pin acme-health-eu). */
    public static final String PINNED_TENANT = "acme-health";

    private static final Instant BASE = Instant.parse("2026-11-23T09:00:00Z");

    private static final Weighted<String> TENANTS = Weighted.of(
            "acme", 35, "globex", 25, "initech", 20, "umbrella", 15, PINNED_TENANT, 5);
    private static final Weighted<String> ROLES = Weighted.of(
            "worker", 40, "researcher", 15, "file-ops", 12, "critic", 10, "reviewer", 10, "planner", 8, "other-agent", 5);
    private static final Map<String, Weighted<String>> TYPES_BY_ROLE = Map.of(
            "planner", Weighted.of("plan", 70, "synthesize", 30),
            "worker", Weighted.of("extract", 35, "summarize", 30, "classify", 15, "format", 10, "translate", 10),
            "critic", Weighted.of("review", 60, "classify", 40),
            "file-ops", Weighted.of("move-file", 60, "format", 40),
            "reviewer", Weighted.of("review", 70, "summarize", 30),
            "researcher", Weighted.of("synthesize", 30, "extract", 30, "summarize", 40),
            "other-agent", Weighted.of("draft", 60, "extract", 40));
    private static final Weighted<String> HINTS = Weighted.of("needs-reasoning", 50, "mechanical", 40, "creative", 10);
    private static final Weighted<String> SOURCES = Weighted.of("crm", 40, "slack", 30, "ci", 20, "email", 10);
    private static final Weighted<String> LANGUAGES = Weighted.of("en", 70, "de", 15, "fr", 15);
    private static final int[] REQUESTED_BUDGETS = {64, 256, 512, 1024, 2048, 8192};
    private static final String[] OPENINGS = {
        "Extract the invoice number, the due date and the total from the document below.",
        "Summarize the customer's complaint in three sentences and name the product involved.",
        "Classify this support ticket as billing, outage, feature request or other.",
        "Plan the steps to migrate the reporting job to the new warehouse schema.",
        "Review the following patch for correctness and point out any missing tests.",
        "Move the generated report into the archive folder and update the index file.",
        "Translate the release notes into the customer's language, keeping product names.",
        "Format the meeting notes as a markdown list with owners and due dates.",
    };
    private static final String[] WORDS = {
        "account", "ledger", "shipment", "region", "quarter", "latency", "customer", "contract", "renewal",
        "pipeline", "dataset", "schema", "budget", "forecast", "incident", "ticket", "release", "vendor",
    };

    private final SplittableRandom random;
    private final double rejectedShare;
    private long index;

    /**
     * @param seed the seed: same seed, same tasks
     * @param rejectedShare share of tasks past the policy's maxAttempts (the router dead-letters them)
     */
    public TaskMix(long seed, double rejectedShare) {
        this.random = new SplittableRandom(seed);
        this.rejectedShare = rejectedShare;
    }

    public AgentTask next() {
        long i = index++;
        String role = ROLES.pick(random);
        String type = TYPES_BY_ROLE.get(role).pick(random);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("source", SOURCES.pick(random));
        attributes.put("lang", LANGUAGES.pick(random));
        if (random.nextInt(100) < 20) {
            attributes.put("tierflow.hint", HINTS.pick(random));
        }
        AgentTask.Builder task = AgentTask.newBuilder()
                .setTaskId(new UUID(random.nextLong(), random.nextLong()).toString())
                .setRunId("run-" + Long.toHexString(i / 12 ^ 0x5DEECE66DL))
                .setParentTaskId(random.nextInt(100) < 60 ? "task-" + Long.toHexString(random.nextLong()) : null)
                .setTenant(TENANTS.pick(random))
                .setRole(role)
                .setTaskType(type)
                // about 40 to 60,000 input tokens, most of them small
                .setInputTokens((int) Math.exp(Math.log(40) + random.nextDouble() * (Math.log(60_000) - Math.log(40))))
                .setRequestedMaxOutputTokens(random.nextInt(100) < 30 ? REQUESTED_BUDGETS[random.nextInt(REQUESTED_BUDGETS.length)] : null)
                .setOutputContract(random.nextInt(100) < 25
                        ? OutputContract.newBuilder().setRequiredFields(List.of("answer", "confidence")).setMaxLength(4000).build()
                        : null)
                .setCreatedAt(BASE.plusMillis(i))
                .setAttributes(attributes);
        if (random.nextInt(100) < 10) {
            task.setInputRef("s3://tierflow-inputs/" + Long.toHexString(random.nextLong()) + ".txt");
        } else {
            task.setInputText(prompt());
        }
        int escalation = random.nextInt(100);
        if (random.nextDouble() < rejectedShare) {
            task.setAttempt(3).setEscalatedFromTier("frontier");
        } else if (escalation < 6) {
            task.setAttempt(1).setEscalatedFromTier(random.nextInt(10) < 7 ? "small" : "mid");
        } else if (escalation < 8) {
            task.setAttempt(2).setEscalatedFromTier(random.nextBoolean() ? "mid" : "frontier");
        }
        return task.build();
    }

    private String prompt() {
        StringBuilder text = new StringBuilder(OPENINGS[random.nextInt(OPENINGS.length)]).append(" Context:");
        int words = 12 + random.nextInt(20);
        for (int w = 0; w < words; w++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /**
     * The live overrides the benchmarks run with, as records of the {@code policy} topic: a tier change
     * for a role and task type (from an alert), a tier and budget change for a whole role, a budget-only
     * change for a tenant's task type, and an expiring one with a model override.
     */
    public static List<PolicyRule> liveOverrides() {
        Instant made = BASE.minusSeconds(3600);
        return List.of(
                rule("role=worker/type=summarize", "small", null, null, PolicySource.ALERT, "cost ceiling on worker summaries", 3, made, null),
                rule("role=critic", "mid", null, 512, PolicySource.OPERATOR, "critics need more than the classifier gives", 1, made, null),
                rule("tenant=globex/type=plan", null, null, 2048, PolicySource.OPERATOR, "globex plans run long", 2, made, null),
                rule("role=researcher/type=synthesize", "mid", "claude-sonnet-4-5", null, PolicySource.OPERATOR,
                        "trial of mid for research synthesis", 5, made, Instant.parse("2100-01-01T00:00:00Z")));
    }

    private static PolicyRule rule(String scope, String tier, String model, Integer budget, PolicySource source, String reason,
                                   long version, Instant made, Instant expires) {
        return PolicyRule.newBuilder().setScope(scope).setTier(tier).setModel(model).setMaxOutputTokens(budget)
                .setSource(source).setReason(reason).setVersion(version).setUpdatedAt(made).setExpiresAt(expires)
                .setCausedByAlertId(source == PolicySource.ALERT ? "alert-" + version : null).build();
    }

    /** Values with integer weights. */
    private record Weighted<T>(List<T> values, int[] cumulative) {

        @SuppressWarnings("unchecked")
        static <T> Weighted<T> of(Object... valueWeightPairs) {
            List<T> values = new java.util.ArrayList<>();
            int[] cumulative = new int[valueWeightPairs.length / 2];
            int total = 0;
            for (int p = 0; p < valueWeightPairs.length; p += 2) {
                values.add((T) valueWeightPairs[p]);
                total += (Integer) valueWeightPairs[p + 1];
                cumulative[p / 2] = total;
            }
            return new Weighted<>(List.copyOf(values), cumulative);
        }

        T pick(SplittableRandom random) {
            int r = random.nextInt(cumulative[cumulative.length - 1]);
            for (int v = 0; v < cumulative.length; v++) {
                if (r < cumulative[v]) {
                    return values.get(v);
                }
            }
            throw new AssertionError();
        }
    }
}
