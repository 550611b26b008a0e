package dev.tierflow.attribution;

import dev.tierflow.attribution.join.SpanTaskJoin;
import dev.tierflow.attribution.join.SpanTaskJoinOperator;
import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.attribution.model.DeadLetter;
import dev.tierflow.attribution.model.JoinInput;
import dev.tierflow.attribution.stats.PaneMerge;
import dev.tierflow.attribution.stats.ScopePreAggregator;
import dev.tierflow.attribution.stats.StatsAccumulator;
import dev.tierflow.attribution.stats.Pane;
import dev.tierflow.attribution.stats.PaneFunction;
import dev.tierflow.attribution.stats.SlidingWindowsFromPanes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.StuckTask;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The attribution job's logic, with no sources, sinks, clocks or configuration files: input records
 * (with their event-time timestamps and watermarks) in, statistics and the side outputs out.
 *
 * <pre>
 * input ─► split dead letters ─► keyBy taskId#attempt ─► join ─► pre-aggregate per scope and pane ─► keyBy scope
 *            └► deadLetters           ├► stuck, unmatched, late       ─► panes ─► sliding windows ─► stats
 * </pre>
 * Every stateful operator has a stable uid, so a savepoint restores into a changed job.
 */
public final class AttributionJob {

    public static final String SPLIT_UID = "split-dead-letters";
    public static final String JOIN_UID = "join-spans-to-routed-tasks";
    public static final String PRE_AGGREGATE_UID = "pre-aggregate-per-scope";
    public static final String PANES_UID = "stats-panes-per-scope";
    public static final String WINDOWS_UID = "rolling-stats-per-scope";

    /** The job's parameters that shape its results. */
    public record Parameters(WindowSpec windows, Duration joinBound, Duration stuckAfter, FrontierPricing frontier) {
    }

    /** Everything the job produces; every input record ends up in exactly one of the first five. */
    public record Outputs(DataStream<CostQualityStats> stats, DataStream<StuckTask> stuck,
                          DataStream<ResultSpan> unmatched, DataStream<ResultSpan> late,
                          DataStream<DeadLetter> deadLetters) {
    }

    static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private AttributionJob() {
    }

    public static Outputs defineWorkflow(DataStream<JoinInput> input, Parameters parameters) {
        SingleOutputStreamOperator<JoinInput> readable = input
                .process(new SplitDeadLetters(), TypeInformation.of(JoinInput.class))
                .name(SPLIT_UID).uid(SPLIT_UID);

        SingleOutputStreamOperator<Attribution> attributed = readable
                .keyBy(JoinInput::attemptKey, Types.STRING)
                .transform(JOIN_UID, TypeInformation.of(Attribution.class), new SpanTaskJoinOperator(
                        new SpanTaskJoin(parameters.joinBound(), parameters.stuckAfter(), parameters.windows(), parameters.frontier())))
                .uid(JOIN_UID);

        WindowSpec windows = parameters.windows();
        // a pane's lateness is that of the last window containing it, so panes take late data exactly as long as windows do
        Duration paneLateness = windows.allowedLateness().plus(windows.size()).minus(windows.slide());
        SingleOutputStreamOperator<CostQualityStats> stats = attributed
                .transform(PRE_AGGREGATE_UID, TypeInformation.of(Pane.class), new ScopePreAggregator(windows.slide().toMillis()))
                .uid(PRE_AGGREGATE_UID)
                .keyBy(pane -> pane.scope, Types.STRING)
                .window(TumblingEventTimeWindows.of(windows.slide()))
                .allowedLateness(paneLateness)
                .aggregate(new PaneMerge(), new PaneFunction(),
                        TypeInformation.of(StatsAccumulator.class), TypeInformation.of(StatsAccumulator.class), TypeInformation.of(Pane.class))
                .name(PANES_UID).uid(PANES_UID)
                .keyBy(pane -> pane.scope, Types.STRING)
                .process(new SlidingWindowsFromPanes(windows), new AvroTypeInfo<>(CostQualityStats.class))
                .name(WINDOWS_UID).uid(WINDOWS_UID);

        return new Outputs(stats, attributed.getSideOutput(SpanTaskJoin.STUCK), attributed.getSideOutput(SpanTaskJoin.UNMATCHED),
                attributed.getSideOutput(SpanTaskJoin.LATE), readable.getSideOutput(DEAD_LETTERS));
    }

    /** Records the source could not read leave here, whole, for the dead-letter topic. */
    static final class SplitDeadLetters extends ProcessFunction<JoinInput, JoinInput> {
        @Override
        public void processElement(JoinInput input, Context ctx, Collector<JoinInput> out) {
            if (input.deadLetter != null) {
                ctx.output(DEAD_LETTERS, input.deadLetter);
            } else {
                out.collect(input);
            }
        }
    }
}
