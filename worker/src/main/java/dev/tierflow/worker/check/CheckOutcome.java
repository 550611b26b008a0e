package dev.tierflow.worker.check;

/**
 * The result of checking one output against its contract.
 *
 * @param passed whether every part of the contract that is set holds
 * @param detail when it failed: which part and why, in words (e.g. {@code "requiredFields: missing
 *               'invoiceNumber'"}); null when it passed
 */
public record CheckOutcome(boolean passed, String detail) {

    private static final CheckOutcome PASSED = new CheckOutcome(true, null);

    public static CheckOutcome pass() {
        return PASSED;
    }

    public static CheckOutcome fail(String detail) {
        return new CheckOutcome(false, detail);
    }
}
