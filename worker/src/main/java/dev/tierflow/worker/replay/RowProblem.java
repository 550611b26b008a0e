package dev.tierflow.worker.replay;

/** A problem found while reading rows; {@link ReplayLoader} adds the file name and reports it. */
final class RowProblem extends RuntimeException {

    private final long line;

    RowProblem(long line, String problem) {
        super(problem, null, false, false); // no stack trace: it is always caught and reworded
        this.line = line;
    }

    long line() {
        return line;
    }
}
