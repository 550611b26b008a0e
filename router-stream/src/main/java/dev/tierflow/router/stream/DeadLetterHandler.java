package dev.tierflow.router.stream;

import dev.tierflow.router.RouterMetrics;
import dev.tierflow.router.decision.RejectedTaskException;
import dev.tierflow.schemas.DeadLetterHeaders;
import dev.tierflow.schemas.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every record the router cannot accept to the dead-letter topic through Kafka Streams'
 * built-in DLQ (KIP-1034): original key and value bytes, Streams' error headers (exception, source
 * topic, partition, offset) and TierFlow's reason headers. The app keeps running. Only an unreachable
 * schema registry stops processing, because that is no fault of the record.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetterTopic;
    private RouterMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = (String) configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (deadLetterTopic == null || deadLetterTopic.isBlank()) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must be set: bad input would be lost");
        }
        metrics = (RouterMetrics) configs.get(RouterMetrics.CONFIG_KEY);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (causedBy(exception, SchemaRegistryUnavailableException.class) != null) {
            LOG.error("Schema registry unreachable at {}-{}@{}; stopping this thread so the record is retried, not dead-lettered",
                    context.topic(), context.partition(), context.offset(), exception);
            return DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(deadLetter(context, record.key(), record.value(), exception));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (causedBy(exception, SchemaRegistryUnavailableException.class) != null) {
            LOG.error("Schema registry unreachable while routing {}-{}@{}; stopping this thread so the record is retried, not dead-lettered",
                    context.topic(), context.partition(), context.offset(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value, Exception exception) {
        RejectedTaskException rejected = causedBy(exception, RejectedTaskException.class);
        DeadLetterReason reason = rejected != null ? rejected.reason() : DeadLetterReason.PROCESSING_ERROR;
        String detail = rejected != null ? rejected.getMessage() : String.valueOf(exception);
        ProducerRecord<byte[], byte[]> record = ExceptionHandlerUtils.buildDeadLetterQueueRecord(
                deadLetterTopic, key, value, context, rejected != null ? rejected : exception);
        record.headers().add(DeadLetterHeaders.REASON, reason.name().getBytes(StandardCharsets.UTF_8));
        record.headers().add(DeadLetterHeaders.DETAIL, detail.getBytes(StandardCharsets.UTF_8));
        if (metrics != null) {
            metrics.deadLettered(reason);
        }
        LOG.warn("Dead-lettered {}-{}@{} to {}: {} ({})", context.topic(), context.partition(), context.offset(),
                deadLetterTopic, reason, detail);
        return List.of(record);
    }

    private static <T extends Throwable> T causedBy(Throwable exception, Class<T> type) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
