package org.gridwatch.systemtests;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.gridwatch.contract.v1.Detection;
import org.gridwatch.testsupport.Timeline;
import org.junit.jupiter.api.Test;

/**
 * Two alert-routing instances against one database, as a timeline: both read the same 50
 * detections of one trapped passenger at once (each in a consumer group of its own, so each
 * applies all 50) and there is one alert, counted 50 times, with 50 events, not 100 and not two
 * alerts; a clear resolves it, and the next detection opens a new one.
 */
class AlertReplicasTest extends SystemTest {


    @Test
    void fiftyDetectionsOnTwoInstancesAtOnceOpenOneAlertCountedFifty() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String kind = "test.replicas-" + run;
        String subject = "elev-" + run;
        // No task and no notification: this test is about the alert alone.
        assertThat(system.put("alert-routing", "/api/v1/routing/policies/replicas-" + run, """
                {"priority":1,"kinds":["%s"],"level":"grid","autoDispatch":false}""".formatted(kind)).statusCode())
                .isEqualTo(200);
        ServiceProcess second = system.startInstance("alert-routing", "replica-" + run,
                Map.of("MP_MESSAGING_INCOMING_DETECTIONS_GROUP_ID", "gridwatch-alert-routing-replica-" + run));
        try (DetectionSender sender = new DetectionSender(system.endpoints().kafkaBootstrap())) {
            Timeline timeline = Timeline.start();
            timeline.at(ofSeconds(0), "50 detections of one trapped passenger", () -> sender.send(IntStream
                    .range(0, 50).mapToObj(i -> DetectionSender.raised(subject + ":" + i, subject, kind, "b1"))
                    .toList()));
            timeline.expectBetween(ofSeconds(0), ofSeconds(30), "one alert counted 50 times",
                    () -> alerts(subject, kind).equals(List.of("OPEN 50")));
            // Both instances have read everything by now; neither has added anything.
            Thread.sleep(3_000);
            assertThat(alerts(subject, kind)).containsExactly("OPEN 50");
            assertThat(history(subject, kind)).as("one event per detection, not one per instance")
                    .hasSize(50).startsWith("OPENED").containsOnlyOnce("OPENED");

            timeline.at(timeline.now(), "the passenger is out: a clear", () -> sender.send(List.of(
                    DetectionSender.raised(subject + ":clear", subject, kind, "b1").toBuilder()
                            .setPhase(Detection.Phase.CLEARED).build())));
            timeline.expectBetween(timeline.now(), timeline.now().plusSeconds(15), "the alert resolved",
                    () -> alerts(subject, kind).equals(List.of("RESOLVED 50")));
            timeline.at(timeline.now(), "trapped again", () -> sender.send(List.of(
                    DetectionSender.raised(subject + ":again", subject, kind, "b1"))));
            timeline.expectBetween(timeline.now(), timeline.now().plusSeconds(15), "a new alert",
                    () -> alerts(subject, kind).equals(List.of("RESOLVED 50", "OPEN 1")));
        } finally {
            second.stop();
        }
    }

    /** The subject's alerts of the kind, oldest first, as "state repeats". */
    private static List<String> alerts(String subject, String kind) throws Exception {
        return strings("SELECT state || ' ' || repeat_count FROM alerting.alert WHERE subject_id = ? AND kind = ? "
                + "ORDER BY created_at", subject, kind);
    }

    private static List<String> history(String subject, String kind) throws Exception {
        return strings("SELECT h.type FROM alerting.alert_history h JOIN alerting.alert a USING (alert_id) "
                + "WHERE a.subject_id = ? AND a.kind = ? ORDER BY h.seq", subject, kind);
    }

    private static List<String> strings(String sql, String... args) throws Exception {
        try (Connection connection = system.database(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setString(i + 1, args[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
