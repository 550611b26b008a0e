package dev.tierflow.worker.replay;

/** Turns the rows of one layout into recorded outcomes. */
interface LayoutReader {

    /** Adds what the row records; a row that is not valid for the layout is a {@link RowProblem}. */
    void read(ReplayRow row, ReplayIndex.Builder index);
}
