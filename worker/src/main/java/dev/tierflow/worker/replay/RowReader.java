package dev.tierflow.worker.replay;

import java.io.Closeable;
import java.io.IOException;

/** Reads a replay file's records one at a time, so a large file is never held twice in memory. */
interface RowReader extends Closeable {

    /** The next record, or null at the end of the file; a record that cannot be read is a {@link RowProblem}. */
    ReplayRow next() throws IOException;
}
