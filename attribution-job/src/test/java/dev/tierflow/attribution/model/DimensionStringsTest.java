package dev.tierflow.attribution.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class DimensionStringsTest {

    @Test
    void anEqualValueIsReadAsTheSameInstance() throws IOException {
        List<String> back = roundTrip(List.of("worker", "extract", new String("worker")));

        assertThat(back).containsExactly("worker", "extract", "worker");
        assertThat(back.get(2)).isSameAs(back.get(0));
    }

    @Test
    void nullEmptyNonAsciiAndLongValuesSurviveTheRoundTrip() throws IOException {
        String longValue = "x".repeat(1_000);
        List<String> values = new ArrayList<>();
        values.add(null);
        values.add("");
        values.add("Zürich-租户-🚀");
        values.add(longValue);
        values.add(longValue);

        List<String> back = roundTrip(values);

        assertThat(back).containsExactlyElementsOf(values);
        assertThat(back.get(4)).as("a long value is not pooled").isNotSameAs(back.get(3));
    }

    @Test
    void moreDistinctValuesThanThePoolHoldsAreStillReadCorrectly() throws IOException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < DimensionStrings.SLOTS * 3; i++) {
            values.add("tenant-" + i);
        }

        assertThat(roundTrip(values)).containsExactlyElementsOf(values);
        assertThat(roundTrip(values)).as("read again, past a full pool").containsExactlyElementsOf(values);
        List<String> again = roundTrip(List.of("worker", new String("worker")));
        assertThat(again.get(1)).as("a full pool still takes values in").isSameAs(again.get(0));
    }

    @Test
    void eachThreadHasItsOwnPool() throws Exception {
        DimensionStrings mine = DimensionStrings.ofThisThread();
        DimensionStrings other = CompletableFuture.supplyAsync(DimensionStrings::ofThisThread).get();

        assertThat(other).isNotSameAs(mine);
        assertThat(DimensionStrings.ofThisThread()).isSameAs(mine);
    }

    private static List<String> roundTrip(List<String> values) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (String value : values) {
            DimensionStrings.write(value, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<String> back = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            back.add(DimensionStrings.ofThisThread().read(in));
        }
        assertThat(in.available()).isZero();
        return back;
    }
}
