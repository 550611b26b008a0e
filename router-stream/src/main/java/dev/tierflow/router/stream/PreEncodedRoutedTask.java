package dev.tierflow.router.stream;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import java.time.Instant;

/**
 * A routed task whose {@code task} field is already encoded: the Avro body of the record it arrived in.
 * {@link PreEncodedTaskWriter} copies those bytes instead of encoding the task again. It is still a full
 * {@link RoutedTask} (its {@code task} is set), so any other writer treats it as one.
 */
final class PreEncodedRoutedTask extends RoutedTask {

    private final transient byte[] receivedRecord;

    PreEncodedRoutedTask(byte[] receivedRecord, AgentTask task, String tier, String model, String provider, Integer maxOutputTokens,
                         String policyVersion, Long overrideVersion, RoutingRule rule, String ruleDetail, Instant routedAt) {
        super(task, tier, model, provider, maxOutputTokens, policyVersion, overrideVersion, rule, ruleDetail, routedAt);
        this.receivedRecord = receivedRecord;
    }

    byte[] receivedRecord() {
        return receivedRecord;
    }
}
