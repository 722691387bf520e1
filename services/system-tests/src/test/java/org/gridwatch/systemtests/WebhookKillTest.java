package org.gridwatch.systemtests;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.gridwatch.testsupport.Timeline;
import org.gridwatch.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * alert-routing killed (SIGKILL) while it waits for a webhook receiver, as a timeline: after the
 * restart the receiver has every notification, each exactly once by its id (the ones in flight
 * came again under the same id), none missing, including those of alerts raised while the
 * service was down; and the escalation timers that were running when it died fire once, on time.
 */
class WebhookKillTest extends SystemTest {

    private static final int ESCALATE_AFTER_SECONDS = 30;


    @Test
    void killedWhileSendingAWebhookEachNotificationArrivesOnceByIdAndNoneIsMissing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String kind = "test.kill-" + run;
        ServiceProcess routing = system.service("alert-routing");
        try (WebhookReceiver receiver = new WebhookReceiver();
             DetectionSender sender = new DetectionSender(system.endpoints().kafkaBootstrap())) {
            assertThat(system.put("alert-routing", "/api/v1/routing/channels/hook-" + run, """
                    {"type":"webhook","target":"%s","secret":"kill-test"}""".formatted(receiver.url())).statusCode())
                    .isEqualTo(200);
            assertThat(system.put("alert-routing", "/api/v1/routing/policies/kill-" + run, """
                    {"priority":1,"kinds":["%s"],"level":"grid","autoDispatch":false,"channels":["hook-%s"],
                     "escalateAfterSeconds":%d}""".formatted(kind, run, ESCALATE_AFTER_SECONDS)).statusCode())
                    .isEqualTo(200);
            receiver.holdNext(3, Duration.ofSeconds(60));

            Timeline timeline = Timeline.start();
            timeline.at(ofSeconds(0), "three residents' alarms", () -> sender.send(IntStream.range(0, 3)
                    .mapToObj(i -> DetectionSender.raised(run + "-" + i, "mat-" + run + "-" + i, kind, "b2-201"))
                    .toList()));
            timeline.expectBetween(ofSeconds(0), ofSeconds(15), "three webhooks waiting at the receiver",
                    () -> receiver.requests().size() == 3);
            timeline.at(timeline.now(), "kill alert-routing while it waits", routing::kill);
            timeline.at(timeline.now(), "two more alarms while it is down", () -> sender.send(IntStream.range(3, 5)
                    .mapToObj(i -> DetectionSender.raised(run + "-" + i, "mat-" + run + "-" + i, kind, "b2-201"))
                    .toList()));
            routing.start();
            routing.awaitReady(Duration.ofMinutes(2));

            timeline.expectBetween(timeline.now(), ofSeconds(90), "all five alarms told",
                    () -> notifications(kind, "OPENED", "SENT").size() == 5);
            timeline.expectBetween(ofSeconds(ESCALATE_AFTER_SECONDS), ofSeconds(ESCALATE_AFTER_SECONDS + 45),
                    "the three alarms raised before the kill escalated to the community and told",
                    () -> escalatedToCommunity(receiver, kind) >= 3);
            Thread.sleep(3_000);

            Map<String, String> stored = notifications(kind, null, null);
            assertThat(stored.values()).as("every notification sent").containsOnly("SENT");
            assertThat(receiver.distinctIds()).as("each notification at the receiver, by id, none missing")
                    .containsExactlyInAnyOrderElementsOf(stored.keySet());
            Map<String, String> bodies = new HashMap<>();
            for (WebhookReceiver.Request request : receiver.requests()) {
                String earlier = bodies.putIfAbsent(request.notificationId(), request.body());
                assertThat(earlier == null || earlier.equals(request.body()))
                        .as("a repeat is the same notification").isTrue();
            }
            assertThat(receiver.requests().size() - receiver.distinctIds().size())
                    .as("the three in flight at the kill came again, under the same ids; nothing else twice")
                    .isEqualTo(3);
            assertThat(escalations(kind)).as("each running escalation timer fired once").containsOnly(1L)
                    .hasSizeGreaterThanOrEqualTo(3);
        } finally {
            if (!routing.isReady()) {
                routing.start();
                routing.awaitReady(Duration.ofMinutes(2));
            }
        }
    }

    private static long escalatedToCommunity(WebhookReceiver receiver, String kind) {
        return receiver.requests().stream().map(r -> JsonParser.parseString(r.body()).getAsJsonObject())
                .filter(m -> m.get("reason").getAsString().equals("ESCALATED")
                        && m.get("level").getAsString().equals("community")
                        && alertOf(m).get("kind").getAsString().equals(kind))
                .map(m -> m.get("notificationId").getAsString()).distinct().count();
    }

    private static JsonObject alertOf(JsonObject message) {
        return message.getAsJsonObject("alert");
    }

    /** Notification id to state, for the alerts of the kind; filtered by reason and state when given. */
    private static Map<String, String> notifications(String kind, String reason, String state) throws Exception {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT n.notification_id, n.state FROM alerting.notification n JOIN alerting.alert a USING (alert_id)
                     WHERE a.kind = ? AND (?::text IS NULL OR n.reason = ?) AND (?::text IS NULL OR n.state = ?)""")) {
            query.setString(1, kind);
            query.setString(2, reason);
            query.setString(3, reason);
            query.setString(4, state);
            query.setString(5, state);
            Map<String, String> found = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getString(1), rows.getString(2));
                }
            }
            return found;
        }
    }

    /** How many ESCALATED events each alert of the kind has had. */
    private static List<Long> escalations(String kind) throws Exception {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT count(*) FROM alerting.alert_history h JOIN alerting.alert a USING (alert_id)
                     WHERE a.kind = ? AND h.type = 'ESCALATED' GROUP BY a.alert_id""")) {
            query.setString(1, kind);
            List<Long> counts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.add(rows.getLong(1));
                }
            }
            return counts;
        }
    }
}
