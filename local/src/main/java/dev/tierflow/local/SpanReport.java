package dev.tierflow.local;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads, committed only, the result spans of a set of task ids, until each has a final span, as lines. */
final class SpanReport {

    private SpanReport() {
    }

    static List<String> await(String bootstrapServers, AvroSerdes serdes, List<String> tiers, Set<String> ids, Duration timeout) {
        List<ResultSpan> spans = FinalSpans.await(bootstrapServers, serdes, tiers, ids, timeout);
        long total = spans.stream().mapToLong(ResultSpan::getCostMicros).sum();
        List<String> lines = spans.stream()
                .sorted(Comparator.comparing(ResultSpan::getTaskId).thenComparing(ResultSpan::getAttempt))
                .map(s -> String.format(Locale.ROOT, "%-34s attempt %d  %-8s %-22s %-16s %6d in %5d out  %,8d µ$%s",
                        s.getTaskId(), s.getAttempt(), s.getTier(), s.getModel(), s.getStatus(), s.getInputTokens(),
                        s.getOutputTokens(), s.getCostMicros(), s.getEscalated() ? "  -> escalated" : ""))
                .collect(Collectors.toCollection(ArrayList::new));
        lines.add(String.format(Locale.ROOT, "total: %d spans, %,d µ$ ($%.6f)", spans.size(), total, total / 1_000_000.0));
        return lines;
    }
}
