package dev.tierflow.attribution.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.schemas.StuckTask;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class AvroRecordCodecTest {

    @Test
    void anyRecordOfSupportedFieldsReadsBackEqual() throws IOException {
        StuckTask stuck = StuckTask.newBuilder().setTaskId("t-1").setAttempt(1).setRunId("run-1").setRole("worker")
                .setTaskType("extract").setTenant("acme").setTier("mid").setModel("m-mid").setRule(RoutingRule.DEFAULT)
                .setRoutedAt(Instant.ofEpochMilli(1_000)).setDeclaredStuckAt(Instant.ofEpochMilli(61_000)).build();
        AvroRecordCodec<StuckTask> codec = AvroRecordCodec.of(StuckTask::new, Set.of());
        DataOutputSerializer out = new DataOutputSerializer(64);

        codec.write(stuck, out);

        assertThat(codec.read(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(stuck);
    }

    @Test
    void aSchemaWithAFieldItCannotEncodeFailsAtOnceNamingTheField() {
        // a task's output contract is a nested record (and its attributes a map)
        assertThatThrownBy(() -> AvroRecordCodec.of(AgentTask::new, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'outputContract'");
    }
}
