package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Detection's state survives a restart, and the loss of its state folder while stopped (rebuilt
 * from the changelog topics): a sustained-vitals window half run and a silence timer half run
 * when the service stops both complete after it starts again, and each detection arrives once,
 * on time.
 */
class DetectionRestartTest extends SystemTest {

    /** The silence window of the rule this test adds for its own device. */
    static final Duration SILENCE = Duration.ofSeconds(40);
    private static final String VITALS_GATEWAY = "gw-b4-201";
    private static final String VITALS_MATTRESS = "mat-b4-201";
    private static final String SILENT_GATEWAY = "gw-b4-301";
    private static final String SILENT_MATTRESS = "mat-b4-301";


    @Test
    void runningWindowsAndTimersContinueAcrossARestartAndRaiseOnceOnTime() throws Exception {
        restart(false);
    }

    /** The state folder is lost while detection is stopped (a new disk, a new pod): it is rebuilt from the changelogs. */
    @Test
    @Tag("chaos")
    void runningWindowsAndTimersContinueThoughTheStateFolderIsLostWhileStopped() throws Exception {
        restart(true);
    }

    private void restart(boolean loseState) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ServiceProcess detection = system.service("detection");
        Instant base = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        // A no-data rule for the silent mattress's unit alone, added as an integrator would.
        var rule = system.put("registry", "/api/v1/rules/D2-restart-" + run, """
                {"version":1,"kind":"device.offline","areaIds":["b4-301"],"noData":{"afterSeconds":%d}}
                """.formatted(SILENCE.toSeconds()));
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(200);
        List<Detection> seen = new ArrayList<>();
        try (TopicReader detections = new TopicReader(system.endpoints().kafkaBootstrap(), Topics.DETECTIONS);
             TestGateway vitals = system.gateway(VITALS_GATEWAY);
             TestGateway silent = system.gateway(SILENT_GATEWAY)) {
            // The first 30 s of a 75 s run at 140 bpm, and the last reading of a device that then goes silent.
            heartRate(vitals, run, base, 0, 30);
            silent.publishJson("""
                    {"eventId":"silent-%s","deviceId":"%s","observedAt":"%s","values":{"heartRate":70,"inBed":1}}
                    """.formatted(run, SILENT_MATTRESS, Instant.now()));
            silent.flush();
            await("both devices' readings stored").atMost(Duration.ofSeconds(30))
                    .until(() -> stored(run) == 8);
            Instant lastReceived = receivedAt("silent-" + run);
            ServiceProcess.sleep(2_000);

            detection.stop();
            if (loseState) {
                deleteContents(system.detectionStateDir());
            }
            // While detection is away, the rest of the run arrives.
            heartRate(vitals, run, base, 35, 75);
            vitals.flush();
            detection.start();
            detection.awaitReady(Duration.ofMinutes(2));

            await("the heart-rate and the silence detections").atMost(SILENCE.plusSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        detections.poll().forEach(r -> seen.add(parse(r.value())));
                        return raised(seen, VITALS_MATTRESS, "vital-signs.heart-rate").size() == 1
                                && raised(seen, SILENT_MATTRESS, "device.offline").size() == 1;
                    });
            Instant silenceRaisedAt = Instant.now();
            // Any duplicate would come within the next few commits.
            ServiceProcess.sleep(6_000);
            detections.poll().forEach(r -> seen.add(parse(r.value())));

            List<Detection> vitalsRaised = raised(seen, VITALS_MATTRESS, "vital-signs.heart-rate");
            assertThat(vitalsRaised).as("raised once").hasSize(1);
            assertThat(Timestamps.toInstant(vitalsRaised.get(0).getConditionSince()))
                    .as("the run that began before the restart, not a new one").isEqualTo(base);

            List<Detection> offline = raised(seen, SILENT_MATTRESS, "device.offline");
            assertThat(offline).as("raised once").hasSize(1);
            Instant due = lastReceived.plus(SILENCE);
            Instant detectedAt = Timestamps.toInstant(offline.get(0).getDetectedAt());
            assertThat(detectedAt).as("not before the silence window has passed").isAfterOrEqualTo(due);
            assertThat(detectedAt).as("on time: within the check interval and the restart's own delay")
                    .isBefore(due.plusSeconds(25));
            assertThat(silenceRaisedAt).isAfter(detectedAt);
        }
    }

    private static void deleteContents(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(folder)) {
                    Files.delete(path);
                }
            }
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).as("detection's state folder, emptied").isEmpty();
        }
    }

    private static void heartRate(TestGateway gateway, String run, Instant base, int fromSecond, int toSecond)
            throws Exception {
        for (int s = fromSecond; s <= toSecond; s += 5) {
            gateway.publishJson("""
                    {"eventId":"restart-%s-%d","deviceId":"%s","observedAt":"%s","values":{"heartRate":140,"inBed":1}}
                    """.formatted(run, s, VITALS_MATTRESS, base.plusSeconds(s)));
        }
        gateway.flush();
    }

    private static List<Detection> raised(List<Detection> seen, String subject, String kind) {
        return seen.stream().filter(d -> d.getSubjectId().equals(subject) && d.getKind().equals(kind)
                && d.getPhase() == Detection.Phase.RAISED).toList();
    }

    private static Detection parse(byte[] value) {
        try {
            return Detection.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static long stored(String run) throws Exception {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(DISTINCT event_id) FROM telemetry.reading_value WHERE event_id LIKE ?")) {
            query.setString(1, "%-" + run + "%");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Instant receivedAt(String eventId) throws Exception {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT min(received_at) FROM telemetry.reading_value WHERE event_id = ?")) {
            query.setString(1, eventId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getTimestamp(1).toInstant();
            }
        }
    }
}
