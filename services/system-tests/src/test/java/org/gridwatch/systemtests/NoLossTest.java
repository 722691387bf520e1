package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * At-least-once from the MQTT broker to the database, made exactly-once by event ids: readings
 * published at QoS 1 while the ingest-bridge is killed and restarted are all stored, none twice.
 */
class NoLossTest extends SystemTest {

    private static final int READINGS = 10_000;
    private static final String GATEWAY = "gw-b3-101";
    /** Two devices of the gateway, with the value each type requires. */
    private static final List<String> DEVICES = List.of("door-b3-101", "pir-b3-101");
    private static final List<String> VALUES = List.of("open", "motion");


    @Test
    void everyReadingPublishedWhileTheBridgeIsKilledAndRestartedIsStoredExactlyOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ServiceProcess bridge = system.service("ingest-bridge");
        Instant start = Instant.now().minusSeconds(3600);
        try (TestGateway gateway = system.gateway(GATEWAY)) {
            for (int i = 0; i < READINGS; i++) {
                if (i == 3_000) {
                    // Killed outright: messages in flight to it are unacknowledged and must come again.
                    gateway.flush();
                    bridge.kill();
                }
                if (i == 7_000) {
                    gateway.flush();
                    bridge.start();
                }
                gateway.publishJson("""
                        {"eventId":"noloss-%s-%d","deviceId":"%s","observedAt":"%s","values":{"%s":%d,"battery":90}}
                        """.formatted(run, i, DEVICES.get(i % 2), start.plusMillis(i * 10L), VALUES.get(i % 2), i / 2 % 2));
            }
        }
        bridge.awaitReady(Duration.ofMinutes(3));

        await("all " + READINGS + " readings stored").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> stored(run)[1] >= READINGS);
        // A late redelivery would show up as a duplicate now, so give it a moment to arrive.
        Thread.sleep(3_000);
        long[] counts = stored(run);
        assertThat(counts[0]).as("values stored (two per reading)").isEqualTo(2L * READINGS);
        assertThat(counts[1]).as("distinct readings stored").isEqualTo(READINGS);
    }

    /** Values and distinct readings (event ids) of this run. */
    private static long[] stored(String run) throws Exception {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*), count(DISTINCT event_id) FROM telemetry.reading_value WHERE event_id LIKE ?")) {
            query.setString(1, "noloss-" + run + "-%");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2)};
            }
        }
    }
}
