package dev.tierflow.worker.runtime;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The worker's Avro encodings. The consumer and producer move plain bytes, so that a record that cannot be
 * decoded reaches the worker (and its dead-letter topic) instead of failing {@code poll}, and a dead letter
 * carries the original bytes.
 */
record WorkerCodec(Deserializer<RoutedTask> routedTasks, Serializer<ResultSpan> spans, Serializer<AgentTask> tasks) {

    static WorkerCodec of(AvroSerdes serdes) {
        return new WorkerCodec(serdes.avro(RoutedTask.class, false).deserializer(),
                serdes.avro(ResultSpan.class, false).serializer(), serdes.valueSerde(Topics.TASKS).serializer());
    }
}
