package dev.tierflow.worker.replay;

/** A replay file that cannot be loaded; the message names the file, the line and the problem. */
public final class MalformedReplayFileException extends RuntimeException {

    private final long line;

    public MalformedReplayFileException(String source, long line, String problem) {
        super("malformed replay file " + source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.line = line;
    }

    /** The 1-based line the problem is on (where a multi-line CSV record starts), or 0 for the file as a whole. */
    public long line() {
        return line;
    }
}
