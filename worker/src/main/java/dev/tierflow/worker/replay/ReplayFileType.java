package dev.tierflow.worker.replay;

/** How a replay file is written down; both name their fields the same way. */
public enum ReplayFileType {
    /** Comma-separated values with a header row; quoted cells may span lines. */
    CSV,
    /** One JSON object per line; blank lines are skipped. */
    JSONL
}
