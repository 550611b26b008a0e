package dev.tierflow.benchmarks;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * When records pass two points of a Flink job running on a MiniCluster in this JVM: right after the source
 * ({@link #INPUT}) and right before the sinks ({@link #OUTPUT}). Identity maps, chained to their neighbours,
 * so they add no network hop; each subtask keeps its own counter and last-seen time (release stores, no
 * contention), and this JVM's bench driver sums them. Works because a MiniCluster job without user jars
 * loads its classes from this JVM's class loader, so the static registry is shared.
 */
final class FlowMarks {

    static final FlowMarks INPUT = new FlowMarks();
    static final FlowMarks OUTPUT = new FlowMarks();

    /** nanoTime of the first record any subtask saw; Long.MAX_VALUE before that. */
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final Queue<Subtask> subtasks = new ConcurrentLinkedQueue<>();

    private FlowMarks() {
    }

    long firstNanos() {
        return first.get();
    }

    long count() {
        return subtasks.stream().mapToLong(s -> s.count.get()).sum();
    }

    /** nanoTime of the last record any subtask saw; 0 before the first. */
    long lastNanos() {
        return subtasks.stream().mapToLong(s -> s.last.get()).max().orElse(0);
    }

    private static final class Subtask {
        final AtomicLong count = new AtomicLong();
        final AtomicLong last = new AtomicLong();
    }

    /** The identity map that marks {@code marks}. */
    static <T> MapFunction<T, T> marker(boolean input) {
        return new Marker<>(input);
    }

    private static final class Marker<T> extends RichMapFunction<T, T> {
        private final boolean input;
        private transient FlowMarks marks;
        private transient Subtask subtask;
        private transient long count;

        Marker(boolean input) {
            this.input = input;
        }

        @Override
        public void open(OpenContext openContext) {
            marks = input ? INPUT : OUTPUT;
            subtask = new Subtask();
            marks.subtasks.add(subtask);
        }

        @Override
        public T map(T value) {
            long now = System.nanoTime();
            if (count++ == 0 && now < marks.first.get()) {
                marks.first.accumulateAndGet(now, Math::min);
            }
            subtask.count.lazySet(count);
            subtask.last.lazySet(now);
            return value;
        }
    }
}
