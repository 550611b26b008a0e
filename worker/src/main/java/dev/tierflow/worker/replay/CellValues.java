package dev.tierflow.worker.replay;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Reads the numbers of a replay row, naming the row's line and the column when one is not a valid value. */
final class CellValues {

    private static final int MICROS_PER_DOLLAR_DIGITS = 6;

    private CellValues() {
    }

    /** A finite score, as recorded (not clamped), or null when absent. */
    static Double score(ReplayRow row, String column) {
        BigDecimal value = decimal(row, column, "a score");
        return value == null ? null : value.doubleValue();
    }

    /**
     * A cost in USD as whole micro-dollars, or null when absent. The decimal text is read exactly (no binary
     * floating point) and rounded half-even: 0.0000125 USD is 12 micro-dollars, 0.0000135 USD is 14, so
     * rounding errors cancel out over many rows instead of drifting up.
     */
    static Long costMicros(ReplayRow row, String column) {
        BigDecimal usd = decimal(row, column, "a cost in USD");
        if (usd == null) {
            return null;
        }
        if (usd.signum() < 0) {
            throw row.problem(column + " must not be negative, was " + row.cell(column));
        }
        return exactLong(row, column, usd.movePointRight(MICROS_PER_DOLLAR_DIGITS).setScale(0, RoundingMode.HALF_EVEN));
    }

    /** A whole count >= 0 (pandas writes "12.0" for counts in a column with gaps, so that is accepted), or null. */
    static Long count(ReplayRow row, String column) {
        BigDecimal value = decimal(row, column, "a whole number");
        if (value == null) {
            return null;
        }
        if (value.signum() < 0 || value.stripTrailingZeros().scale() > 0) {
            throw row.problem(column + " must be a whole number >= 0, was " + row.cell(column));
        }
        return exactLong(row, column, value);
    }

    /** The cell as an exact decimal, or null when absent or NaN (how pandas and Python write "not recorded"). */
    private static BigDecimal decimal(ReplayRow row, String column, String what) {
        String text = row.cell(column);
        if (text == null || text.strip().equalsIgnoreCase("nan")) {
            return null;
        }
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw row.problem(column + " must be " + what + ", was '" + text + "'");
        }
    }

    private static Long exactLong(ReplayRow row, String column, BigDecimal value) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw row.problem(column + " is too large: " + row.cell(column));
        }
    }
}
