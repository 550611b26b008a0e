package dev.tierflow.router.policy;

import java.util.List;
import java.util.Map;

/**
 * The cheap rule-based classifier for roles the policy does not fix: first the task's
 * {@value #HINT_ATTRIBUTE} attribute, then its task type, then its input size. No model call.
 */
public record Classifier(boolean enabled, Map<String, Tier> hints, Map<String, Tier> taskTypes, List<SizeRule> bySize) {

    /** The task attribute an agent sets to hint at how much reasoning a step needs. */
    public static final String HINT_ATTRIBUTE = "tierflow.hint";

    /** Tasks with at least {@code atLeast} input tokens go to {@code tier}; rules sorted by atLeast, descending. */
    public record SizeRule(int atLeast, Tier tier) {
    }

    /** The classifier's verdict, or null when none of its rules applies. */
    public Verdict classify(String taskType, int inputTokens, Map<String, String> attributes) {
        if (!enabled) {
            return null;
        }
        String hint = attributes.get(HINT_ATTRIBUTE);
        if (hint != null) {
            Tier tier = hints.get(hint);
            if (tier != null) {
                return new Verdict(tier, "hint=" + hint);
            }
        }
        Tier byType = taskTypes.get(taskType);
        if (byType != null) {
            return new Verdict(byType, "type=" + taskType);
        }
        for (SizeRule rule : bySize) {
            if (inputTokens >= rule.atLeast()) {
                return new Verdict(rule.tier(), "inputTokens>=" + rule.atLeast());
            }
        }
        return null;
    }

    public record Verdict(Tier tier, String detail) {
    }
}
