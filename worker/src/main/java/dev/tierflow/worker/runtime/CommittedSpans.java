package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.ResultSpan;
import java.util.List;

/**
 * Told about the spans of each batch AFTER its Kafka transaction committed, so what it sees is exactly what
 * read_committed readers of {@code results.<tier>} see: nothing of an aborted or never-committed batch, and
 * the spans of a batch redone after an abort only once it commits. Called on the worker's polling thread;
 * keep it quick (e.g. hand the spans to an asynchronous exporter). An exception it throws is logged and
 * otherwise ignored: the spans are already committed.
 */
@FunctionalInterface
public interface CommittedSpans {

    /** Does nothing: the default when no export is configured. */
    CommittedSpans NONE = spans -> { };

    /** @param spans the spans of one committed transaction, in the order they were sent */
    void committed(List<ResultSpan> spans);
}
