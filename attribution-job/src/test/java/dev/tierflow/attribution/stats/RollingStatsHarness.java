package dev.tierflow.attribution.stats;

import dev.tierflow.attribution.model.Attribution;
import dev.tierflow.schemas.CostQualityStats;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The job's three rolling-statistics operators (pre-aggregation per scope and pane, pane windows, then
 * sliding windows from panes), taken from the job graph and driven in harnesses, each one's output fed to
 * the next as the job would: elements first, then the watermark that sent them.
 */
final class RollingStatsHarness implements AutoCloseable {

    private final OneInputStreamOperatorTestHarness<Attribution, Pane> preAggregator;
    private final KeyedOneInputStreamOperatorTestHarness<String, Pane, Pane> panes;
    private final KeyedOneInputStreamOperatorTestHarness<String, Pane, CostQualityStats> windows;
    private int partialsForwarded;
    private int panesForwarded;

    @SuppressWarnings("unchecked")
    RollingStatsHarness(DataStream<CostQualityStats> stats) throws Exception {
        var windowsTransformation = (OneInputTransformation<Pane, CostQualityStats>) stats.getTransformation();
        // between each two: the keyBy's partitioning
        var panesTransformation = (OneInputTransformation<Pane, Pane>) windowsTransformation.getInputs().get(0).getInputs().get(0);
        var preAggregatorTransformation = (OneInputTransformation<Attribution, Pane>) panesTransformation.getInputs().get(0).getInputs().get(0);
        preAggregator = new OneInputStreamOperatorTestHarness<>(operator(preAggregatorTransformation));
        panes = harness(panesTransformation);
        windows = harness(windowsTransformation);
    }

    @SuppressWarnings("unchecked")
    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> harness(OneInputTransformation<I, O> transformation)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(operator(transformation),
                (KeySelector<I, String>) transformation.getStateKeySelector(), (TypeInformation<String>) transformation.getStateKeyType());
    }

    @SuppressWarnings("unchecked")
    private static <I, O> OneInputStreamOperator<I, O> operator(OneInputTransformation<I, O> transformation) {
        return (OneInputStreamOperator<I, O>) ((SimpleOperatorFactory<O>) transformation.getOperatorFactory()).getOperator();
    }

    void open() throws Exception {
        preAggregator.open();
        panes.open();
        windows.open();
    }

    /** One attribution, not yet in scope: the pre-aggregator fans it out. */
    void processElement(Attribution attribution, long timestamp) throws Exception {
        preAggregator.processElement(attribution, timestamp);
        forwardPartials();
        forwardPanes();
    }

    void processWatermark(long watermark) throws Exception {
        preAggregator.processWatermark(watermark);
        forwardPartials();
        panes.processWatermark(watermark);
        forwardPanes();
        windows.processWatermark(watermark);
    }

    private void forwardPartials() throws Exception {
        List<StreamRecord<? extends Pane>> sent = preAggregator.extractOutputStreamRecords();
        for (StreamRecord<? extends Pane> partial : sent.subList(partialsForwarded, sent.size())) {
            panes.processElement(partial.getValue(), partial.getTimestamp());
        }
        partialsForwarded = sent.size();
    }

    private void forwardPanes() throws Exception {
        List<StreamRecord<? extends Pane>> fired = panes.extractOutputStreamRecords();
        for (StreamRecord<? extends Pane> pane : fired.subList(panesForwarded, fired.size())) {
            windows.processElement(pane.getValue(), pane.getTimestamp());
        }
        panesForwarded = fired.size();
    }

    List<CostQualityStats> extractOutputValues() {
        return windows.extractOutputValues();
    }

    void clearOutput() {
        windows.getOutput().clear();
    }

    int numKeyedStateEntries() {
        return panes.numKeyedStateEntries() + windows.numKeyedStateEntries();
    }

    int numEventTimeTimers() {
        return panes.numEventTimeTimers() + windows.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        preAggregator.close();
        panes.close();
        windows.close();
    }
}
