package dev.tierflow.worker.check;

/**
 * A text that counts how many characters are read from it and stops the reader past a budget. The
 * regex engine reads its input only through {@link #charAt(int)}, so the count measures its work.
 * Several texts may draw on one {@link Budget}, so that all the matches of one check share one limit.
 */
final class StepLimitedText implements CharSequence {

    /** Thrown past the budget; without a stack trace since it is expected and caught at once. */
    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super("step budget exceeded", null, false, false);
        }
    }

    /** Character reads left; shared by a text and its sub-sequences, so slicing cannot reset it. */
    static final class Budget {
        private final long limit;
        private long left;

        Budget(long limit) {
            this.limit = limit;
            this.left = limit;
        }

        /** The reads this budget started with. */
        long limit() {
            return limit;
        }
    }

    private final CharSequence text;
    private final Budget steps;

    StepLimitedText(CharSequence text, long budget) {
        this(text, new Budget(budget));
    }

    /** A text drawing on {@code steps}, which other texts may draw on too. */
    StepLimitedText(CharSequence text, Budget steps) {
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
