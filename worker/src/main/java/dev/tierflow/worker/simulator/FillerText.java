package dev.tierflow.worker.simulator;

import java.util.SplittableRandom;

/**
 * Words to fill simulated outputs with: lower-case ASCII letters and spaces only, so they never need escaping
 * inside JSON (lengths stay exact) and are never valid JSON themselves (no {@code true}, {@code null}, digits).
 */
final class FillerText {

    private static final String[] WORDS = {
        "the", "agent", "task", "model", "output", "result", "step", "plan", "review", "extract", "field", "value",
        "record", "invoice", "summary", "customer", "order", "status", "report", "draft", "check", "budget",
        "tokens", "tier", "route", "answer", "source", "document", "section", "item", "list", "detail"
    };

    private FillerText() {
    }

    /** Exactly {@code length} characters of words. */
    static String of(SplittableRandom random, int length) {
        int wanted = Math.max(0, length);
        StringBuilder text = new StringBuilder(wanted + 16);
        while (text.length() < wanted) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        text.setLength(wanted);
        return text.toString();
    }
}
