package dev.tierflow.alerting.control;

import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Dead letters per minute across the dead-letter topics (one key), FIRING above the rule's maximum and
 * RESOLVED once a minute is back under it by the hysteresis band. Counted per processing-time minute:
 * it is an operational rate, and a quiet minute (no record at all) must still be able to resolve it.
 */
public class DeadLetterRateFunction extends KeyedProcessFunction<String, String, Alert> {

    public static final String KEY = "dead-letters";
    private static final long MINUTE = 60_000L;

    private final int maxPerMinute;
    private final double hysteresis;

    private transient ValueState<Long> count;
    private transient ValueState<Condition> condition;

    public DeadLetterRateFunction(int maxPerMinute, double hysteresis) {
        this.maxPerMinute = maxPerMinute;
        this.hysteresis = hysteresis;
    }

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        condition = getRuntimeContext().getState(new ValueStateDescriptor<>("condition", TypeInformation.of(Condition.class)));
    }

    @Override
    public void processElement(String sourceTopic, Context ctx, Collector<Alert> out) throws Exception {
        Long seen = count.value();
        if (seen == null) {
            // the first record of a minute arms the minute's end
            ctx.timerService().registerProcessingTimeTimer(minuteEnd(ctx.timerService().currentProcessingTime()));
            seen = 0L;
        }
        count.update(seen + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long perMinute = count.value() == null ? 0 : count.value();
        count.clear();
        Condition state = condition.value() != null ? condition.value() : new Condition();
        Instant start = Instant.ofEpochMilli(timestamp - MINUTE);
        Instant end = Instant.ofEpochMilli(timestamp);
        if (!state.firing && perMinute > maxPerMinute) {
            state.firing = true;
            state.firingSince = timestamp;
            state.alertId = AlertKind.DLQ_RATE + "/" + KEY + "/" + timestamp;
            out.collect(alert(state, AlertState.FIRING, perMinute, start, end,
                    perMinute + " records dead-lettered in a minute, above " + maxPerMinute));
        } else if (state.firing && perMinute <= maxPerMinute * (1 - hysteresis)) {
            out.collect(alert(state, AlertState.RESOLVED, perMinute, start, end,
                    "dead letters back to " + perMinute + " in a minute"));
            state.firing = false;
        }
        condition.update(state);
        if (state.firing) {
            // keep counting quiet minutes too, or a firing alert could never resolve
            count.update(0L);
            ctx.timerService().registerProcessingTimeTimer(timestamp + MINUTE);
        }
    }

    private Alert alert(Condition state, AlertState lifecycle, long perMinute, Instant start, Instant end, String message) {
        return Alert.newBuilder().setAlertId(state.alertId).setKind(AlertKind.DLQ_RATE).setState(lifecycle).setScope(KEY)
                .setObserved(perMinute).setThreshold(maxPerMinute).setWindowStart(start).setWindowEnd(end)
                .setActionTaken(lifecycle == AlertState.FIRING ? "none: dead letters alert only" : null).setPolicyVersion(null)
                .setMessage(message).setAt(end).build();
    }

    private static long minuteEnd(long now) {
        return now - Math.floorMod(now, MINUTE) + MINUTE;
    }
}
