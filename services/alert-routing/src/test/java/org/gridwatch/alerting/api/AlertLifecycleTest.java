package org.gridwatch.alerting.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What an operator does with an alert, through the REST API against a real PostgreSQL and Kafka:
 * acknowledge, assign, comment, resolve with a note; each change in the alert's history and on
 * the alert-events topic with who did it; refused requests say why and change nothing.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class AlertLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1/alerts")
    URI alertsApi;

    @Inject
    DetectionApplier alerts;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private String openAlert() throws Exception {
        String subject = "mat-" + UUID.randomUUID();
        Detection detection = Detection.newBuilder().setDetectionId(subject + ":1").setPhase(Detection.Phase.RAISED)
                .setKind("vital-signs.heart-rate").setSeverity(Severity.CRITICAL).setSubjectId(subject)
                .setDeviceId(subject).setDetectedAt(Timestamps.of(Instant.now())).setSummary("heart rate 140").build();
        return alerts.apply(detection, Location.newBuilder().setGridId("g1").build()).orElseThrow().getAlertId();
    }

    private HttpResponse<String> post(String alertId, String action, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(alertsApi + "/" + alertId + "/" + action)).header("Authorization", TestApi.authorization())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(alertsApi + path)).header("Authorization", TestApi.authorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private List<String> historyTypes(String alertId) throws Exception {
        List<String> types = new ArrayList<>();
        get("/" + alertId + "/history").forEach(entry -> types.add(entry.get("type").asText()));
        return types;
    }

    @Test
    void anOperatorAcknowledgesAssignsCommentsAndResolvesWithANoteAndEveryChangeIsRecordedWithWhoDidIt()
            throws Exception {
        String alertId = openAlert();

        // Who acts is the token's subject: a body that names someone else changes nothing of that.
        assertThat(post(alertId, "acknowledge", "{\"actor\":\"someone-else\",\"note\":\"calling the family\"}")
                .statusCode()).isEqualTo(200);
        assertThat(post(alertId, "assign", "{\"assignee\":\"w1\"}").statusCode()).isEqualTo(200);
        assertThat(post(alertId, "comments", "{\"text\":\"daughter on her way\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> resolved = post(alertId, "resolve",
                "{\"note\":\"resident fine, GP visit booked\"}");

        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        JsonNode alert = JSON.readTree(resolved.body());
        assertThat(alert.get("state").asText()).isEqualTo("RESOLVED");
        assertThat(alert.get("acknowledgedBy").asText()).isEqualTo(TestApi.OPERATOR);
        assertThat(alert.get("assignee").asText()).isEqualTo("w1");
        assertThat(alert.get("resolvedBy").asText()).isEqualTo(TestApi.OPERATOR);
        assertThat(alert.get("resolutionNote").asText()).isEqualTo("resident fine, GP visit booked");
        JsonNode history = get("/" + alertId + "/history");
        assertThat(historyTypes(alertId)).containsExactly("OPENED", "ACKNOWLEDGED", "ASSIGNED", "COMMENTED", "RESOLVED");
        assertThat(history.get(1).get("actor").asText()).isEqualTo(TestApi.OPERATOR);
        assertThat(history.get(3).get("note").asText()).isEqualTo("daughter on her way");

        List<AlertEvent> published = publishedEvents(alertId, 5);
        assertThat(published).extracting(AlertEvent::getType).containsExactly(AlertEvent.Type.TYPE_OPENED,
                AlertEvent.Type.TYPE_ACKNOWLEDGED, AlertEvent.Type.TYPE_ASSIGNED, AlertEvent.Type.TYPE_COMMENTED,
                AlertEvent.Type.TYPE_RESOLVED);
        assertThat(published.get(4).getActor()).isEqualTo(TestApi.OPERATOR);
        assertThat(published.get(4).getNote()).isEqualTo("resident fine, GP visit booked");
        assertThat(published.get(4).getAssignee()).isEqualTo("w1");
    }

    @Test
    void badRequestsGetAClearErrorAndChangeNothing() throws Exception {
        String alertId = openAlert();

        HttpResponse<String> noNote = post(alertId, "resolve", "{}");
        assertThat(noNote.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noNote.body()).get("detail").asText()).startsWith("note is required");
        assertThat(post(alertId, "acknowledge", "{\"actor\":").statusCode()).isEqualTo(400);
        assertThat(post("not-a-uuid", "acknowledge", "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post(UUID.randomUUID().toString(), "acknowledge", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("detail").asText()).startsWith("No alert ");
        assertThat(get("/" + alertId).get("state").asText()).as("nothing changed").isEqualTo("OPEN");
        assertThat(historyTypes(alertId)).containsExactly("OPENED");

        assertThat(post(alertId, "resolve", "{\"note\":\"done\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> twice = post(alertId, "resolve", "{\"note\":\"done too\"}");
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(twice.body()).get("detail").asText())
                .contains("is RESOLVED: it cannot be resolved (resolved by " + TestApi.OPERATOR);
        assertThat(post(alertId, "acknowledge", "{}").statusCode()).isEqualTo(409);
        assertThat(get("/" + alertId).get("resolvedBy").asText()).isEqualTo(TestApi.OPERATOR);
        assertThat(historyTypes(alertId)).containsExactly("OPENED", "RESOLVED");
    }

    @Test
    void alertsAreListedByAreaAPageAtATimeNewestFirst() throws Exception {
        String building = "b-" + UUID.randomUUID();
        List<String> opened = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String subject = "mat-" + UUID.randomUUID();
            opened.add(alerts.apply(Detection.newBuilder().setDetectionId(subject + ":1")
                    .setPhase(Detection.Phase.RAISED).setKind("vital-signs.heart-rate").setSeverity(Severity.WARNING)
                    .setSubjectId(subject).setDetectedAt(Timestamps.of(Instant.now())).build(),
                    Location.newBuilder().setCommunityId("c1").setBuildingId(building).build()).orElseThrow()
                    .getAlertId());
            Thread.sleep(5);
        }

        JsonNode first = get("?areaId=" + building + "&limit=2");
        JsonNode second = get("?areaId=" + building + "&limit=2&openedBefore=" + first.get(1).get("openedAt").asText());

        assertThat(List.of(first.get(0).get("alertId").asText(), first.get(1).get("alertId").asText(),
                second.get(0).get("alertId").asText())).containsExactly(opened.get(2), opened.get(1), opened.get(0));
        assertThat(second).hasSize(1);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(alertsApi + "?openedBefore=yesterday")).header("Authorization", TestApi.authorization())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("detail").asText()).startsWith("openedBefore must be an ISO-8601");
    }

    /** The alert's events on the alert-events topic, in order, once the outbox has relayed them. */
    private List<AlertEvent> publishedEvents(String alertId, int expected) throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "lifecycle-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<AlertEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ALERT_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (alertId.equals(record.key())) {
                        events.add(AlertEvent.parseFrom(record.value()));
                    }
                }
            }
        }
        return events;
    }
}
