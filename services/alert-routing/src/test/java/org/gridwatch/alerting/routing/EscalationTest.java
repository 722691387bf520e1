package org.gridwatch.alerting.routing;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.gridwatch.alerting.api.FeedConsole;
import org.gridwatch.alerting.api.TestApi;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Escalation on no acknowledgement against a real PostgreSQL and a real webhook receiver, on a
 * clock the test moves on (no waiting for wall-clock time): an unacknowledged critical alert is
 * told to the grid, then every 3 s one level up (community, street, district), then reminded;
 * not a moment early; acknowledging stops it. A street's console sees the alert from the moment
 * it reaches the street, and nothing of it before.
 */
@QuarkusTest
class EscalationTest extends ClockedTest {

    private static final Duration WAIT = ofSeconds(10);

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

            AlertEvent alert = TestApi.open(alerts, "elevator.trapped", Severity.CRITICAL, place);
            await("the grid told").atMost(WAIT).until(() -> told(receiver, "OPENED", "grid", place.getGridId()));

            Instant due = Instant.parse(api.get("/alerts/" + alert.getAlertId()).at("/routing/nextEscalationAt").asText());
            clock.advanceTo(due.minusMillis(300));
            timer.tick();
            assertThat(reasons(receiver)).as("nothing escalates before its 3 s are up").hasSize(1);
            clock.advanceTo(due);
            timer.tick();
            await("the community told").atMost(WAIT)
                    .until(() -> told(receiver, "ESCALATED", "community", place.getCommunityId()));
            assertThat(street.drain()).as("the street's console, before the alert reaches the street").isEmpty();

            clock.advance(ofSeconds(3));
            timer.tick();
            await("the street told").atMost(WAIT).until(() -> told(receiver, "ESCALATED", "street", place.getStreetId()));
            await("the street's console shows it").atMost(WAIT).until(street::hasEvents);

            clock.advance(ofSeconds(3));
            timer.tick();
            await("the district told").atMost(WAIT)
                    .until(() -> told(receiver, "ESCALATED", "district", place.getDistrictId()));
            clock.advance(ofSeconds(3));
            timer.tick();
            await("a reminder to the district").atMost(WAIT)
                    .until(() -> told(receiver, "REMINDED", "district", place.getDistrictId()));

            api.ok("POST", "/alerts/" + alert.getAlertId() + "/acknowledge",
                    "{\"actor\":\"op-district-1\",\"note\":\"calling the maintenance company\"}");
            await("the district told it is acknowledged").atMost(WAIT)
                    .until(() -> told(receiver, "ACKNOWLEDGED", "district", place.getDistrictId()));
            clock.advance(ofSeconds(30));
            timer.tick();

            assertThat(api.get("/alerts/" + alert.getAlertId() + "/notifications").size())
                    .as("no escalation or reminder after the acknowledgement").isEqualTo(6);
            assertThat(reasons(receiver)).containsExactly("OPENED grid", "ESCALATED community", "ESCALATED street",
                    "ESCALATED district", "REMINDED district", "ACKNOWLEDGED district");
            assertThat(receiver.distinctIds()).hasSize(6);
            JsonNode shown = api.get("/alerts/" + alert.getAlertId());
            assertThat(shown.at("/routing/level").asText()).isEqualTo("district");
            assertThat(shown.at("/routing/escalations").asInt()).isEqualTo(3);
            assertThat(shown.at("/routing/nextEscalationAt").isNull()).isTrue();
            List<String> history = new ArrayList<>();
            api.get("/alerts/" + alert.getAlertId() + "/history").forEach(e -> history.add(e.get("type").asText()));
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
