package dev.tierflow.attribution.otlp;

import dev.tierflow.schemas.ResultSpan;
import java.util.List;

/**
 * What one {@code otlp_spans} record held: the GenAI spans as {@link ResultSpan}s, the GenAI spans that
 * could not be turned into one, and how many other spans (HTTP, database, …) were skipped.
 *
 * @param unreadableReason non-null when the record as a whole could not be parsed; then everything else is empty
 */
public record OtlpDecoded(List<ResultSpan> spans, List<OtlpRejectedSpan> rejected, int skippedNonGenAi, String unreadableReason) {

    public OtlpDecoded {
        spans = List.copyOf(spans);
        rejected = List.copyOf(rejected);
    }

    static OtlpDecoded unreadable(String reason) {
        return new OtlpDecoded(List.of(), List.of(), 0, reason);
    }
}
