package dev.tierflow.worker.check;

/**
 * A text that counts how many characters are read from it and stops the reader past a budget. The
 * regex engine reads its input only through {@link #charAt(int)}, so the count measures its work.
 */
final class StepLimitedText implements CharSequence {

    /** Thrown past the budget; without a stack trace since it is expected and caught at once. */
    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super("step budget exceeded", null, false, false);
        }
    }

    /** Shared by a text and its sub-sequences, so slicing cannot reset the budget. */
    private static final class Steps {
        private long left;

        Steps(long budget) {
            this.left = budget;
        }
    }

    private final CharSequence text;
    private final Steps steps;

    StepLimitedText(CharSequence text, long budget) {
        this(text, new Steps(budget));
    }

    private StepLimitedText(CharSequence text, Steps steps) {
        this.text = text;
        this.steps = steps;
    }

    @Override
    public char charAt(int index) {
        if (--steps.left < 0) {
            throw new BudgetExceeded();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new StepLimitedText(text.subSequence(start, end), steps);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
