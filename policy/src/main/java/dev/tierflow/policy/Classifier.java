package dev.tierflow.policy;

import java.util.List;
import java.util.Map;

/**
 * The cheap rule-based classifier for roles the policy does not fix: first the task's
 * {@value #HINT_ATTRIBUTE} attribute, then its task type, then its input size. No model call.
 */
public record Classifier(boolean enabled, Map<String, Verdict> hints, Map<String, Verdict> taskTypes, List<SizeRule> bySize) {

    /** The task attribute an agent sets to hint at how much reasoning a step needs. */
    public static final String HINT_ATTRIBUTE = "tierflow.hint";

    /** Tasks with at least {@code atLeast} input tokens go to {@code tier}; rules sorted by atLeast, descending. */
    public record SizeRule(int atLeast, Verdict verdict) {
    }

    /** The classifier's verdict, or null when none of its rules applies. */
    public Verdict classify(String taskType, int inputTokens, Map<String, String> attributes) {
        if (!enabled) {
            return null;
        }
        String hint = attributes.get(HINT_ATTRIBUTE);
        if (hint != null) {
            Verdict byHint = hints.get(hint);
            if (byHint != null) {
                return byHint;
            }
        }
        Verdict byType = taskTypes.get(taskType);
        if (byType != null) {
            return byType;
        }
        for (SizeRule rule : bySize) {
            if (inputTokens >= rule.atLeast()) {
                return rule.verdict();
            }
        }
        return null;
    }

    /** A tier and the words a routed task records for why, built once per rule rather than per task. */
    public record Verdict(Tier tier, String detail) {
    }
}
