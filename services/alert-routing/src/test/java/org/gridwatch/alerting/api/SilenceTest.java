package org.gridwatch.alerting.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.contract.Timestamps;
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
 * Silences against a real PostgreSQL, through the REST API: a maintenance window on one building's
 * elevator alerts silences those and nothing else, the alerts are still recorded and shown as
 * silenced, and expiring the silence stops hiding them; malformed silences are refused.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class SilenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1")
    URI api;

    @Inject
    DetectionApplier alerts;

    private AlertEvent open(String kind, String building) throws Exception {
        String subject = "dev-" + UUID.randomUUID();
        Detection detection = Detection.newBuilder().setDetectionId(subject + ":1").setPhase(Detection.Phase.RAISED)
                .setKind(kind).setSeverity(Severity.CRITICAL).setSubjectId(subject).setDeviceId(subject)
                .setDetectedAt(Timestamps.of(Instant.now())).setSummary("test").build();
        return alerts.apply(detection, Location.newBuilder().setCommunityId("c-" + building).setBuildingId(building)
                .build()).orElseThrow();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", TestApi.authorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode alert(String alertId) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(api + "/alerts/" + alertId)).header("Authorization", TestApi.authorization()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aMaintenanceWindowSilencesWhatItMatchesAndNothingElseUntilItIsExpired() throws Exception {
        String building = "b-" + UUID.randomUUID();
        HttpResponse<String> created = post("/silences", """
                {"areaId":"%s","kind":"elevator.trapped","endsAt":"%s","reason":"annual elevator inspection"}""".formatted(building, Instant.now().plusSeconds(3600)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String silenceId = JSON.readTree(created.body()).get("silenceId").asText();

        AlertEvent trapped = open("elevator.trapped", building);
        AlertEvent fire = open("fire.smoke", building);
        AlertEvent elsewhere = open("elevator.trapped", "b-" + UUID.randomUUID());

        assertThat(trapped.getSilencedBy()).as("the event says so, for routing and the feed").isEqualTo(silenceId);
        assertThat(alert(trapped.getAlertId()).get("silencedBy").asText()).isEqualTo(silenceId);
        assertThat(alert(trapped.getAlertId()).get("state").asText()).as("still recorded").isEqualTo("OPEN");
        assertThat(alert(fire.getAlertId()).get("silencedBy").isNull()).as("another kind").isTrue();
        assertThat(alert(elsewhere.getAlertId()).get("silencedBy").isNull()).as("another building").isTrue();

        HttpResponse<String> expired = post("/silences/" + silenceId + "/expire", "{}");
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(200);
        assertThat(JSON.readTree(expired.body()).get("active").asBoolean()).isFalse();
        assertThat(alert(trapped.getAlertId()).get("silencedBy").isNull()).as("no longer hidden").isTrue();
        assertThat(post("/silences/" + silenceId + "/expire", "{}").statusCode())
                .as("expiring twice").isEqualTo(409);
    }

    @Test
    void malformedSilencesAreRefusedWithTheReason() throws Exception {
        String later = Instant.now().plusSeconds(600).toString();
        assertThat(detail(post("/silences", "{\"endsAt\":\"" + later + "\",\"reason\":\"x\"}")))
                .isEqualTo("A silence needs at least one matcher: areaId, kind or deviceId");
        assertThat(detail(post("/silences", "{\"kind\":\"fire.smoke\",\"endsAt\":\"tomorrow\",\"reason\":\"x\"}"))).startsWith("endsAt must be an ISO-8601 instant");
        assertThat(detail(post("/silences", "{\"kind\":\"fire.smoke\",\"startsAt\":\"" + later + "\",\"endsAt\":\""
                + Instant.now().plusSeconds(60) + "\",\"reason\":\"x\"}"))).contains("must be after");
        assertThat(detail(post("/silences", "{\"kind\":\"fire.smoke\",\"endsAt\":\"" + later + "\"}")))
                .startsWith("reason is required");
        assertThat(post("/silences", "{\"kind\":").statusCode()).isEqualTo(400);
        assertThat(post("/silences/" + UUID.randomUUID() + "/expire", "{}").statusCode()).isEqualTo(404);
    }

    private static String detail(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return JSON.readTree(response.body()).get("detail").asText();
    }
}
