package dev.tierflow.attribution.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RoutedRefSerializerTest {

    @Test
    void everyFieldSurvivesTheRoundTrip() throws IOException {
        RoutedRef ref = JoinInputs.routed();
        ref.stuckReported = true;

        RoutedRef back = roundTrip(ref);

        assertThat(back).usingRecursiveComparison().isEqualTo(ref);
        assertThat(back).isNotSameAs(ref);
    }

    @Test
    void nullStringsStayNull() throws IOException {
        RoutedRef ref = JoinInputs.routed();
        ref.runId = null;
        ref.rule = null;
        ref.model = null;

        assertThat(roundTrip(ref)).usingRecursiveComparison().isEqualTo(ref);
    }

    @Test
    void recordsInARowAreReadBackInOrder() throws IOException {
        RoutedRef first = JoinInputs.routed();
        RoutedRef second = JoinInputs.routed();
        second.taskId = "t-2";
        second.attempt = 1;
        DataOutputSerializer out = new DataOutputSerializer(64);
        RoutedRefSerializer.INSTANCE.serialize(first, out);
        RoutedRefSerializer.INSTANCE.serialize(second, out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

        assertThat(RoutedRefSerializer.INSTANCE.deserialize(in).attemptKey()).isEqualTo(first.attemptKey());
        assertThat(RoutedRefSerializer.INSTANCE.deserialize(in).attemptKey()).isEqualTo(second.attemptKey());
    }

    @Test
    void flinkUsesItWhereverItMeetsTheType() {
        TypeInformation<RoutedRef> info = TypeInformation.of(RoutedRef.class);

        assertThat(info).isInstanceOf(RoutedRefTypeInfo.class);
        assertThat(info.createSerializer(new SerializerConfigImpl())).isSameAs(RoutedRefSerializer.INSTANCE);
    }

    @Test
    void aSnapshotRestoresTheSameSerializer() {
        TypeSerializer<RoutedRef> restored = RoutedRefSerializer.INSTANCE.snapshotConfiguration().restoreSerializer();

        assertThat(restored).isSameAs(RoutedRefSerializer.INSTANCE);
    }

    private static RoutedRef roundTrip(RoutedRef ref) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        RoutedRefSerializer.INSTANCE.serialize(ref, out);
        return RoutedRefSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
