package org.gridwatch.alerting.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.gridwatch.alerting.api.TestApi;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Routing policies and the webhook channel against a real PostgreSQL and a real HTTP receiver: a
 * policy sends its alerts to its level's consoles, to dispatch and to its webhook, signed; a
 * failing receiver is retried with backoff under the same notification id, a refusing one is not;
 * a silenced alert is recorded but neither told nor dispatched until the silence ends; bad
 * policies and channels are refused with the reason.
 */
@QuarkusTest
class RoutingTest extends ClockedTest {

    private static final String SECRET = "a-secret-of-the-ops-center";

    /** How soon a covered alert is looked at again in tests (application.properties). */
    private static final Duration COVERED_RECHECK = Duration.ofSeconds(1);

    /** A channel to the receiver and a policy for vital signs in the place's community that uses it. */
    private String route(TestApi api, WebhookReceiver receiver, Location place) throws Exception {
        String channel = "hook-" + UUID.randomUUID();
        api.ok("PUT", "/routing/channels/" + channel, """
                {"type":"webhook","target":"%s","secret":"%s","description":"ops center pager"}"""
                .formatted(receiver.url(), SECRET));
        api.ok("PUT", "/routing/policies/p-" + UUID.randomUUID(), """
                {"priority":1,"kinds":["vital-signs.*"],"minSeverity":"WARNING","areaId":"%s","level":"community",
                 "autoDispatch":true,"channels":["%s"],"escalateAfterSeconds":600}""".formatted(place.getCommunityId(),
                channel));
        return channel;
    }

    @Test
    void aPolicyRoutesItsAlertsToItsLevelToDispatchAndToASignedWebhook() throws Exception {
        TestApi api = new TestApi(apiUrl);
        Location place = TestApi.newPlace();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            route(api, receiver, place);

            AlertEvent opened = TestApi.open(alerts, "vital-signs.heart-rate", Severity.WARNING, place);
            assertThat(opened.getLevel()).isEqualTo("community");
            assertThat(opened.getDispatch()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);

            WebhookReceiver.Request request = receiver.requests().get(0);
            assertThat(request.signature()).as("HMAC-SHA256 of timestamp.body under the channel's secret")
                    .isEqualTo("v1=" + WebhookSender.signature(SECRET, request.timestamp(), request.body()));
            assertThat(Math.abs(Long.parseLong(request.timestamp()) - Instant.now().getEpochSecond())).isLessThan(30);
            JsonNode message = TestApi.JSON.readTree(request.body());
            assertThat(message.get("notificationId").asText()).isEqualTo(request.notificationId());
            assertThat(message.get("reason").asText()).isEqualTo("OPENED");
            assertThat(message.get("level").asText()).isEqualTo("community");
            assertThat(message.get("areaId").asText()).isEqualTo(place.getCommunityId());
            assertThat(message.at("/alert/alertId").asText()).isEqualTo(opened.getAlertId());
            assertThat(message.at("/alert/summary").asText()).isEqualTo(opened.getSummary());

            JsonNode notifications = api.get("/alerts/" + opened.getAlertId() + "/notifications");
            assertThat(notifications).hasSize(1);
            assertThat(notifications.get(0).get("state").asText()).isEqualTo("SENT");
            assertThat(notifications.get(0).get("attempts").asInt()).isEqualTo(1);

            // Another kind in the same community follows the default policy: the grid console, no webhook.
            AlertEvent elevator = TestApi.open(alerts, "elevator.trapped", Severity.WARNING, place);
            assertThat(elevator.getLevel()).isEqualTo("grid");
            assertThat(elevator.getPolicyId()).isEqualTo("default");
            Thread.sleep(1_500);
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffUnderTheSameIdAndARefusalIsNotRetried() throws Exception {
        TestApi api = new TestApi(apiUrl);
        Location place = TestApi.newPlace();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            route(api, receiver, place);
            AtomicInteger answers = new AtomicInteger();
            receiver.answer(() -> answers.incrementAndGet() <= 2 ? 503 : 200);

            AlertEvent opened = TestApi.open(alerts, "vital-signs.respiration", Severity.CRITICAL, place);
            await().atMost(Duration.ofSeconds(15)).until(() -> state(api, opened).equals("SENT"));

            List<WebhookReceiver.Request> requests = receiver.requests();
            assertThat(requests).hasSize(3);
            assertThat(receiver.distinctIds()).hasSize(1);
            long firstGap = requests.get(1).receivedNanos() - requests.get(0).receivedNanos();
            long secondGap = requests.get(2).receivedNanos() - requests.get(1).receivedNanos();
            assertThat(Duration.ofNanos(firstGap)).as("no retry before half the base delay")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(Duration.ofNanos(secondGap)).as("the second wait is at least the base delay")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(api.get("/alerts/" + opened.getAlertId() + "/notifications").get(0).get("attempts").asInt())
                    .isEqualTo(3);

            receiver.answer(() -> 400);
            AlertEvent refused = TestApi.open(alerts, "vital-signs.respiration", Severity.CRITICAL, place);
            await().atMost(Duration.ofSeconds(10)).until(() -> state(api, refused).equals("FAILED"));
            Thread.sleep(1_000);
            JsonNode notification = api.get("/alerts/" + refused.getAlertId() + "/notifications").get(0);
            assertThat(notification.get("attempts").asInt()).isEqualTo(1);
            assertThat(notification.get("lastError").asText()).startsWith("HTTP 400 (not retried");
            assertThat(receiver.requests()).hasSize(4);
        }
    }

    @Test
    void aSilencedAlertIsRecordedButNeitherToldNorDispatchedUntilTheSilenceEnds() throws Exception {
        TestApi api = new TestApi(apiUrl);
        Location place = TestApi.newPlace();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            route(api, receiver, place);
            String silence = api.ok("POST", "/silences", """
                    {"areaId":"%s","endsAt":"%s","reason":"mattress firmware update"}"""
                    .formatted(place.getBuildingId(), Instant.now().plusSeconds(3600))).get("silenceId").asText();

            AlertEvent opened = TestApi.open(alerts, "vital-signs.heart-rate", Severity.CRITICAL, place);
            assertThat(opened.getSilencedBy()).isEqualTo(silence);
            assertThat(opened.getDispatch()).as("no task for a silenced alert").isFalse();
            clock.advance(COVERED_RECHECK);
            timer.tick();
            assertThat(api.get("/alerts/" + opened.getAlertId() + "/notifications")).as("nobody told while silenced")
                    .isEmpty();
            assertThat(api.get("/alerts/" + opened.getAlertId()).at("/routing/notifiedLevel").isNull()).isTrue();

            api.ok("POST", "/silences/" + silence + "/expire", "{}");
            clock.advance(COVERED_RECHECK);
            timer.tick();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
            JsonNode message = TestApi.JSON.readTree(receiver.requests().get(0).body());
            assertThat(message.get("level").asText()).isEqualTo("community");
            assertThat(message.at("/alert/alertId").asText()).isEqualTo(opened.getAlertId());
            assertThat(message.at("/alert/routing/dispatch").asBoolean())
                    .as("told at last, it asks grid-dispatch for its task").isTrue();
        }
    }

    @Test
    void badPoliciesAndChannelsAreRefusedWithTheReasonAndChangeNothing() throws Exception {
        TestApi api = new TestApi(apiUrl);
        String policy = "p-" + UUID.randomUUID();
        HttpResponse<String> unknownChannel = api.send("PUT", "/routing/policies/" + policy,
                "{\"priority\":5,\"channels\":[\"no-such-channel\"]}");
        assertThat(unknownChannel.statusCode()).isEqualTo(400);
        assertThat(unknownChannel.body()).contains("unknown channels [no-such-channel]");
        HttpResponse<String> badLevel = api.send("PUT", "/routing/policies/" + policy,
                "{\"priority\":5,\"level\":\"city\"}");
        assertThat(badLevel.statusCode()).isEqualTo(400);
        assertThat(badLevel.body()).contains("level must be one of grid, community, street, district");
        assertThat(api.send("PUT", "/routing/policies/" + policy, "{\"kinds\":[\"fire.*\"]}").body())
                .contains("priority is required");
        assertThat(api.get("/routing/policies").findValuesAsText("policyId")).doesNotContain(policy);

        HttpResponse<String> sms = api.send("PUT", "/routing/channels/family-sms",
                "{\"type\":\"sms\",\"target\":\"+86 138 0000 0000\"}");
        assertThat(sms.statusCode()).isEqualTo(400);
        assertThat(sms.body()).contains("no sender for channel type 'sms'; available: [webhook]");
        HttpResponse<String> badUrl = api.send("PUT", "/routing/channels/hook",
                "{\"type\":\"webhook\",\"target\":\"ftp://example\"}");
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(badUrl.body()).contains("http or https URL");
        assertThat(api.get("/routing/channels").findValuesAsText("channelId")).doesNotContain("family-sms", "hook");
        assertThat(api.send("DELETE", "/routing/policies/" + policy, null).statusCode()).isEqualTo(404);
    }

    private static String state(TestApi api, AlertEvent alert) throws Exception {
        JsonNode notifications = api.get("/alerts/" + alert.getAlertId() + "/notifications");
        return notifications.isEmpty() ? "NONE" : notifications.get(0).get("state").asText();
    }
}
