package dev.tierflow.worker.check;

/**
 * The contract's {@code minQuality}: the answer's quality score, as its backend reports it, must be at least
 * this. A replay's recorded score is the outcome of a check against the gold answer, so this is how recorded
 * outcomes drive escalation.
 */
final class MinQualityCheck {

    private MinQualityCheck() {
    }

    /** Why the contract's own minQuality is unusable, or null if it is fine. */
    static String contractProblem(double minQuality) {
        return Double.isNaN(minQuality) || minQuality < 0 || minQuality > 1
                ? "minQuality: the contract is invalid, minQuality must be in [0,1], was " + minQuality : null;
    }

    static CheckOutcome check(double minQuality, Double quality) {
        if (quality == null) {
            return CheckOutcome.fail("minQuality: the answer has no quality score, the contract needs at least " + minQuality);
        }
        if (quality < minQuality) {
            return CheckOutcome.fail("minQuality: quality " + quality + " is below the contract's " + minQuality);
        }
        return CheckOutcome.pass();
    }
}
