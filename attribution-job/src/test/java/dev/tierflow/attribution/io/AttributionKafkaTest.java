package dev.tierflow.attribution.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.attribution.app.AttributionSettings;
import org.apache.flink.api.common.eventtime.WatermarkAlignmentParams;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AttributionKafkaTest {

    @Test
    void anUnboundedSourceReadsAlignedWithTheSettingsDriftAndInterval() {
        Properties all = settings();
        all.setProperty(AttributionSettings.ALIGNMENT_MAX_DRIFT, "45 s");
        all.setProperty(AttributionSettings.ALIGNMENT_UPDATE_INTERVAL, "250 ms");

        WatermarkAlignmentParams alignment = AttributionKafka.watermarks(AttributionSettings.from(all)).getAlignmentParameters();

        assertThat(alignment.isEnabled()).isTrue();
        assertThat(alignment.getWatermarkGroup()).isEqualTo(AttributionKafka.ALIGNMENT_GROUP);
        assertThat(alignment.getMaxAllowedWatermarkDrift()).isEqualTo(45_000L);
        assertThat(alignment.getUpdateInterval()).isEqualTo(250L);
    }

    @Test
    void aBoundedSourceReadsUnaligned() {
        Properties all = settings();
        all.setProperty(AttributionSettings.BOUNDED, "true");

        assertThat(AttributionKafka.watermarks(AttributionSettings.from(all)).getAlignmentParameters().isEnabled()).isFalse();
    }

    @Test
    void aZeroDriftReadsUnaligned() {
        Properties all = settings();
        all.setProperty(AttributionSettings.ALIGNMENT_MAX_DRIFT, "0 s");

        assertThat(AttributionKafka.watermarks(AttributionSettings.from(all)).getAlignmentParameters().isEnabled()).isFalse();
    }

    private static Properties settings() {
        Properties all = AttributionSettings.defaults();
        all.setProperty(AttributionSettings.POLICY_FILE, "policy.yaml");
        all.setProperty(AttributionSettings.PRICES_FILE, "prices.yaml");
        return all;
    }
}
