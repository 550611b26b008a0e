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

/**
 * The job's two rolling-statistics operators (panes, then sliding windows from panes), taken from the
 * job graph and driven in keyed harnesses, the first's output fed to the second as the job would:
 * elements first, then the watermark that fired them.
 */
final class RollingStatsHarness implements AutoCloseable {

    private final KeyedOneInputStreamOperatorTestHarness<String, Attribution, Pane> panes;
    private final KeyedOneInputStreamOperatorTestHarness<String, Pane, CostQualityStats> windows;
    private int panesForwarded;

    @SuppressWarnings("unchecked")
    RollingStatsHarness(DataStream<CostQualityStats> stats) throws Exception {
        var windowsTransformation = (OneInputTransformation<Pane, CostQualityStats>) stats.getTransformation();
        // between the two: the keyBy's partitioning
        var panesTransformation = (OneInputTransformation<Attribution, Pane>) windowsTransformation.getInputs().get(0).getInputs().get(0);
        panes = harness(panesTransformation);
        windows = harness(windowsTransformation);
    }

    @SuppressWarnings("unchecked")
    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> harness(OneInputTransformation<I, O> transformation)
            throws Exception {
        var operator = (OneInputStreamOperator<I, O>) ((SimpleOperatorFactory<O>) transformation.getOperatorFactory()).getOperator();
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, (KeySelector<I, String>) transformation.getStateKeySelector(),
                (TypeInformation<String>) transformation.getStateKeyType());
    }

    void open() throws Exception {
        panes.open();
        windows.open();
    }

    void processElement(Attribution attribution, long timestamp) throws Exception {
        panes.processElement(attribution, timestamp);
        forwardPanes();
    }

    void processWatermark(long watermark) throws Exception {
        panes.processWatermark(watermark);
        forwardPanes();
        windows.processWatermark(watermark);
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
        panes.close();
        windows.close();
    }
}
