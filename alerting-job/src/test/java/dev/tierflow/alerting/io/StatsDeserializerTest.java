package dev.tierflow.alerting.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.CostQualityStats;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.InMemoryRegistry;
import dev.tierflow.testing.RegistryOutage;
import dev.tierflow.testing.TestInstants;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A registry outage fails the read (Flink restarts from the checkpoint); a record that cannot be read is counted and skipped. */
class StatsDeserializerTest {

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final List<CostQualityStats> out = new ArrayList<>();
    private final SimpleCounter unreadable = new SimpleCounter();

    static Stream<Arguments> outages() {
        return Stream.of(
                Arguments.of("connection refused", (BiFunction<InMemoryRegistry, Integer, RegistryOutage>) RegistryOutage::connectionRefused),
                Arguments.of("Vert.x time-out", (BiFunction<InMemoryRegistry, Integer, RegistryOutage>) RegistryOutage::timingOut),
                Arguments.of("503 problem details", (BiFunction<InMemoryRegistry, Integer, RegistryOutage>) RegistryOutage::unavailable));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outages")
    void anOutageFailsTheReadAndTheSameRecordIsReadOnceTheRegistryIsBack(String outage,
                                                                          BiFunction<InMemoryRegistry, Integer, RegistryOutage> down)
            throws Exception {
        ConsumerRecord<byte[], byte[]> record = record(serialized(stats()));
        RegistryOutage registryDown = down.apply(registry, Integer.MAX_VALUE);
        StatsDeserializer deserializer = opened(registryDown);

        assertThatThrownBy(() -> deserializer.deserialize(record, collector()))
                .isInstanceOf(IOException.class).hasMessageContaining("schema registry unreachable");
        assertThat(out).isEmpty();
        assertThat(unreadable.getCount()).isZero();

        // what a restart from the checkpoint does once the registry is back: the same record again
        registryDown.end();
        deserializer.deserialize(record, collector());
        assertThat(out).containsExactly(stats());
    }

    @Test
    void aRecordThatCannotBeReadIsCountedAndSkipped() throws Exception {
        StatsDeserializer deserializer = opened(registry);
        // a schema id the registry does not know: the record's fault (404), not an outage
        deserializer.deserialize(record(new byte[] {0, 0, 0, 0, 42, 1, 2}), collector());
        deserializer.deserialize(record(serialized(stats())), collector());

        assertThat(unreadable.getCount()).isEqualTo(1);
        assertThat(out).containsExactly(stats());
    }

    private byte[] serialized(CostQualityStats stats) {
        return AvroSerdes.withClient(registry).valueSerde(Topics.STATS).serializer().serialize(Topics.STATS.name(), stats);
    }

    private StatsDeserializer opened(io.apicurio.registry.resolver.client.RegistryClientFacade facade) {
        StatsDeserializer deserializer = new StatsDeserializer(Map.of()) {
            @Override
            AvroSerdes serdes() {
                return AvroSerdes.withClient(facade);
            }
        };
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup() {
                    @Override
                    public org.apache.flink.metrics.Counter counter(String name) {
                        return unreadable;
                    }
                };
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                throw new UnsupportedOperationException("not needed");
            }
        });
        return deserializer;
    }

    private static CostQualityStats stats() {
        return CostQualityStats.newBuilder().setScope("tenant=acme").setRole(null).setTaskType(null).setTier(null).setTenant("acme")
                .setModel(null).setWindowStart(TestInstants.BEGINNING).setWindowEnd(TestInstants.FIVE_MINUTES_LATER)
                .setCount(2).setInputTokens(3_000).setOutputTokens(400).setCostMicros(5_000).setFrontierCostMicros(75_000)
                .setQualityMean(0.9).setQualitySamples(2).setCheckPassRate(1.0).setEscalationRate(0.0).setErrorRate(0.0)
                .setLatencyP50Ms(500.0).setLatencyP95Ms(900.0).setStuckCount(0L).setUnmatchedCount(0L).build();
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.STATS.name(), 0, 11L, "tenant=acme".getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
    }

    private Collector<CostQualityStats> collector() {
        return new Collector<>() {
            @Override
            public void collect(CostQualityStats record) {
                out.add(record);
            }

            @Override
            public void close() {
            }
        };
    }
}
