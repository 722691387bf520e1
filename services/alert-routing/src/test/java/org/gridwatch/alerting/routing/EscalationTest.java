package org.gridwatch.alerting.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.gridwatch.alerting.api.FeedConsole;
import org.gridwatch.alerting.api.TestApi;
import org.gridwatch.alerting.store.AlertStore;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.gridwatch.testsupport.Timeline;
import org.gridwatch.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Escalation on no acknowledgement, as a timeline against a real PostgreSQL and a real webhook
 * receiver: an unacknowledged critical alert is told to the grid, then every 3 s one level up
 * (community, street, district), then reminded; acknowledging stops it. A street's console sees
 * the alert from the moment it reaches the street, and nothing of it before.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class EscalationTest {

    @TestHTTPResource("/api/v1")
    URI apiUrl;

    @Inject
    AlertStore alerts;

    @Test
    void anUnacknowledgedCriticalAlertEscalatesLevelByLevelOnTimeUntilAcknowledged() throws Exception {
        TestApi api = new TestApi(apiUrl);
        Location place = TestApi.newPlace();
        try (WebhookReceiver receiver = new WebhookReceiver();
             FeedConsole street = new FeedConsole(apiUrl + "/alerts/feed?areaId=" + place.getStreetId()
                     + "&level=street", null)) {
            String channel = "hook-" + UUID.randomUUID();
            api.ok("PUT", "/routing/channels/" + channel, """
                    {"type":"webhook","target":"%s"}""".formatted(receiver.url()));
            api.ok("PUT", "/routing/policies/p-" + UUID.randomUUID(), """
                    {"priority":1,"areaId":"%s","level":"grid","minSeverity":"CRITICAL","autoDispatch":true,
                     "channels":["%s"],"escalateAfterSeconds":3,"remindEverySeconds":3}"""
                    .formatted(place.getDistrictId(), channel));
            Thread.sleep(300);
            AtomicReference<AlertEvent> alert = new AtomicReference<>();

            Timeline timeline = Timeline.start();
            timeline.at(ofSeconds(0), "raise a trapped passenger",
                    () -> alert.set(TestApi.open(alerts, "elevator.trapped", Severity.CRITICAL, place)));
            timeline.expectBetween(ofSeconds(0), ofMillis(1_500), "the grid told",
                    () -> told(receiver, "OPENED", "grid", place.getGridId()));
            timeline.expectBetween(ofSeconds(3), ofMillis(4_800), "the community told",
                    () -> told(receiver, "ESCALATED", "community", place.getCommunityId()));
            timeline.expectBetween(ofSeconds(6), ofMillis(7_800), "the street told",
                    () -> told(receiver, "ESCALATED", "street", place.getStreetId()));
            timeline.expectBetween(ofSeconds(6), ofMillis(7_800), "the street's console shows it",
                    street::hasEvents);
            timeline.expectBetween(ofSeconds(9), ofMillis(10_800), "the district told",
                    () -> told(receiver, "ESCALATED", "district", place.getDistrictId()));
            timeline.expectBetween(ofSeconds(12), ofMillis(13_800), "a reminder to the district",
                    () -> told(receiver, "REMINDED", "district", place.getDistrictId()));
            timeline.at(ofMillis(14_000), "acknowledge",
                    () -> api.ok("POST", "/alerts/" + alert.get().getAlertId() + "/acknowledge",
                            "{\"actor\":\"op-district-1\",\"note\":\"calling the maintenance company\"}"));
            timeline.expectBetween(ofSeconds(14), ofMillis(15_500), "the district told it is acknowledged",
                    () -> told(receiver, "ACKNOWLEDGED", "district", place.getDistrictId()));
            timeline.expectNothingUntil(ofSeconds(19), "escalation or reminder after the acknowledgement",
                    () -> reasons(receiver).size() > 6);

            assertThat(reasons(receiver)).containsExactly("OPENED grid", "ESCALATED community", "ESCALATED street",
                    "ESCALATED district", "REMINDED district", "ACKNOWLEDGED district");
            assertThat(receiver.distinctIds()).hasSize(6);
            JsonNode shown = api.get("/alerts/" + alert.get().getAlertId());
            assertThat(shown.at("/routing/level").asText()).isEqualTo("district");
            assertThat(shown.at("/routing/escalations").asInt()).isEqualTo(3);
            assertThat(shown.at("/routing/nextEscalationAt").isNull()).isTrue();
            List<String> history = new ArrayList<>();
            api.get("/alerts/" + alert.get().getAlertId() + "/history").forEach(e -> history.add(e.get("type").asText()));
            assertThat(history).containsExactly("OPENED", "ESCALATED", "ESCALATED", "ESCALATED", "REMINDED",
                    "ACKNOWLEDGED");
            List<String> streetSaw = new ArrayList<>();
            street.drain().forEach(e -> streetSaw.add(e.get("type").asText() + " " + e.get("level").asText()));
            assertThat(streetSaw).as("the street's console: from the escalation to the street on")
                    .containsExactly("ESCALATED street", "ESCALATED district", "REMINDED district",
                            "ACKNOWLEDGED district");
        }
    }

    private static boolean told(WebhookReceiver receiver, String reason, String level, String areaId) {
        Predicate<JsonNode> match = m -> m.get("reason").asText().equals(reason) && m.get("level").asText().equals(level)
                && m.get("areaId").asText().equals(areaId);
        return messages(receiver).stream().anyMatch(match);
    }

    private static List<String> reasons(WebhookReceiver receiver) {
        return messages(receiver).stream().map(m -> m.get("reason").asText() + " " + m.get("level").asText()).toList();
    }

    private static List<JsonNode> messages(WebhookReceiver receiver) {
        List<JsonNode> messages = new ArrayList<>();
        for (WebhookReceiver.Request request : receiver.requests()) {
            try {
                messages.add(TestApi.JSON.readTree(request.body()));
            } catch (Exception e) {
                throw new AssertionError("Not JSON: " + request.body(), e);
            }
        }
        return messages;
    }
}
