package dev.tierflow.alerting.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.tierflow.alerting.webhook.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.Topics;
import dev.tierflow.testing.InMemoryRegistry;
import dev.tierflow.testing.RegistryOutage;
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forwarder on the real broker while the registry is down (refusing connections, timing out and
 * answering 503 in turn): it posts nothing, commits nothing and skips nothing until the registry is back,
 * then posts every alert once, in order.
 */
@ExtendWith(TierFlowInfraExtension.class)
class AlertWebhookRegistryOutageIT {

    @RegisterExtension
    static final WireMockExtension WEBHOOK = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String PATH = "/hooks/tierflow";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anOutageHoldsTheAlertsBackUntilTheRegistryIsBackAndLosesNone(TierFlowInfra infra) throws Exception {
        infra.createTopics(1, Topics.ALERTS.name());
        InMemoryRegistry registry = new InMemoryRegistry();
        produceInOneTransaction(infra, registry, List.of(
                alert("a1", AlertKind.COST_CEILING, AlertState.FIRING, "tenant=acme", "spend over the ceiling", null),
                alert("a2", AlertKind.QUALITY_FLOOR, AlertState.FIRING, "role=worker", "quality under the floor", null),
                alert("a1", AlertKind.COST_CEILING, AlertState.RESOLVED, "tenant=acme", "spend back under the ceiling", null)));
        WEBHOOK.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));
        Properties properties = WebhookSettings.defaults();
        properties.setProperty("bootstrap.servers", infra.bootstrapServers());
        properties.setProperty(WebhookSettings.URL, WEBHOOK.baseUrl() + PATH);
        properties.setProperty(WebhookSettings.INITIAL_BACKOFF, "50 ms");
        properties.setProperty(WebhookSettings.MAX_BACKOFF, "200 ms");
        WebhookSettings settings = WebhookSettings.from(properties);
        RegistryOutage outage = RegistryOutage.everyWay(registry, Integer.MAX_VALUE);

        try (AlertWebhookForwarder forwarder = new AlertWebhookForwarder(settings,
                new KafkaConsumer<>(AlertWebhookForwarder.consumerProperties(settings), new StringDeserializer(), new ByteArrayDeserializer()),
                AvroSerdes.withClient(outage).deserializer(Alert.class)).start()) {
            await("the forwarder tried the first alert again and again").atMost(Duration.ofSeconds(60))
                    .until(() -> outage.lookups() >= 6);
            assertThat(postedTexts()).as("posted during the outage").isEmpty();
            assertThat(committed(infra, settings)).as("committed during the outage").isEmpty();

            outage.end();

            await("three posts to the webhook").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(postedTexts()).containsExactly(
                            "[FIRING] COST_CEILING tenant=acme: spend over the ceiling",
                            "[FIRING] QUALITY_FLOOR role=worker: quality under the floor",
                            "[RESOLVED] COST_CEILING tenant=acme: spend back under the ceiling"));
            await("the offsets committed").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(committed(infra, settings)).containsExactly(Map.entry(new TopicPartition(Topics.ALERTS.name(), 0), 3L)));
        }
        assertThat(postedTexts()).as("each alert posted once").hasSize(3);
    }

    private static Map<TopicPartition, Long> committed(TierFlowInfra infra, WebhookSettings settings) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = infra.admin().listConsumerGroupOffsets(settings.groupId())
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static List<String> postedTexts() {
        return WEBHOOK.findAll(postRequestedFor(urlEqualTo(PATH))).stream().map(request -> {
            try {
                return JSON.readTree(request.getBodyAsString()).get("text").asText();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static void produceInOneTransaction(TierFlowInfra infra, InMemoryRegistry registry, List<Alert> alerts) {
        Properties producerProps = infra.producerProps();
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alert-webhook-outage-it");
        try (var producer = new KafkaProducer<>(producerProps, AvroSerdes.keySerde().serializer(),
                AvroSerdes.withClient(registry).valueSerde(Topics.ALERTS).serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (Alert alert : alerts) {
                producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getAlertId(), alert));
            }
            producer.commitTransaction();
        }
    }
}
