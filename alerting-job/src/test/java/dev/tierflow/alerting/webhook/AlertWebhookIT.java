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
import dev.tierflow.testing.TierFlowInfra;
import dev.tierflow.testing.TierFlowInfraExtension;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forwarder on the real broker and registry: alerts written the way the alerting job writes them
 * (Avro through the registry, in a transaction) reach the webhook in order, and the group's offset
 * moves past them.
 */
@ExtendWith(TierFlowInfraExtension.class)
class AlertWebhookIT {

    @RegisterExtension
    static final WireMockExtension WEBHOOK = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String PATH = "/hooks/tierflow";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void alertsOnTheTopicArePostedInOrderAndTheirOffsetsCommitted(TierFlowInfra infra) throws Exception {
        // one partition: the three alerts have different keys, and the test checks their order
        infra.createTopics(1, Topics.ALERTS.name());
        List<Alert> alerts = List.of(
                alert("cost-tenant=acme", AlertKind.COST_CEILING, AlertState.FIRING, "tenant=acme", "spend 12.40 USD/h over the ceiling 10 USD/h",
                        "tenant=acme capped at tier mid (policy v3)"),
                alert("notice-1", AlertKind.COST_NOTICE, AlertState.INFO, "role=planner", "frontier share 62% of spend this hour", null),
                alert("cost-tenant=acme", AlertKind.COST_CEILING, AlertState.RESOLVED, "tenant=acme", "spend 8.10 USD/h back under 10 USD/h",
                        "cap on tenant=acme lifted (policy v4)"));
        produceInOneTransaction(infra, alerts);
        WEBHOOK.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));

        Properties properties = WebhookSettings.defaults();
        properties.setProperty("bootstrap.servers", infra.bootstrapServers());
        properties.setProperty(AvroSerdes.REGISTRY_URL, infra.registryUrl());
        properties.setProperty(WebhookSettings.URL, WEBHOOK.baseUrl() + PATH);
        WebhookSettings settings = WebhookSettings.from(properties);

        try (AlertWebhookForwarder forwarder = new AlertWebhookForwarder(settings).start()) {
            await("three posts to the webhook").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(postedTexts()).containsExactly(
                            "[FIRING] COST_CEILING tenant=acme: spend 12.40 USD/h over the ceiling 10 USD/h (action: tenant=acme capped at tier mid (policy v3))",
                            "[INFO] COST_NOTICE role=planner: frontier share 62% of spend this hour",
                            "[RESOLVED] COST_CEILING tenant=acme: spend 8.10 USD/h back under 10 USD/h (action: cap on tenant=acme lifted (policy v4))"));
        }

        Map<TopicPartition, OffsetAndMetadata> committed = infra.admin()
                .listConsumerGroupOffsets(settings.groupId()).partitionsToOffsetAndMetadata().get();
        assertThat(committed).containsOnlyKeys(new TopicPartition(Topics.ALERTS.name(), 0));
        assertThat(committed.get(new TopicPartition(Topics.ALERTS.name(), 0)).offset()).isEqualTo(3);
        assertThat(postedTexts()).as("nothing posted after the close").hasSize(3);
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

    private static void produceInOneTransaction(TierFlowInfra infra, List<Alert> alerts) {
        Properties producerProps = infra.producerProps();
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alert-webhook-it");
        try (var producer = new KafkaProducer<>(producerProps, AvroSerdes.keySerde().serializer(),
                infra.avroSerdes().valueSerde(Topics.ALERTS).serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (Alert alert : alerts) {
                producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getAlertId(), alert));
            }
            producer.commitTransaction();
        }
    }
}
