package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.testsupport.LocalStackProcess;
import org.gridwatch.testsupport.RepoRoot;
import org.gridwatch.testsupport.Timeline;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Telemetry's writer under the two failures it must ride out, with a stream of readings going
 * into Kafka throughout: the writer killed and started again (Kafka redelivers what it had not
 * committed), and its database stopped for 60 s. Afterwards every reading is stored, and none
 * twice (each reading is two values: exactly two rows per event id).
 */
class TelemetryDurabilityTest extends SystemTest {

    private static final int READINGS = 12_000;
    private static final int PER_SECOND = 500;


    @Test
    void theWriterKilledAndRestartedMidStreamStoresEveryReadingExactlyOnce() throws Exception {
        String run = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceProcess telemetry = system.service("telemetry");
        Timeline timeline = Timeline.start();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> produce(run));

        timeline.at(Duration.ofSeconds(6), "kill telemetry", telemetry::kill);
        timeline.at(Duration.ofSeconds(10), "start telemetry again", () -> {
            telemetry.start();
            telemetry.awaitReady(Duration.ofMinutes(2));
        });
        stream.join();

        awaitExactlyOnce(run, () -> system.database());
    }

    @Test
    void aDatabaseStoppedForSixtySecondsMidStreamLosesNoReadingAndStoresNoneTwice() throws Exception {
        String run = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        Path data = Files.createTempDirectory(RepoRoot.get().resolve("services/system-tests/target"), "outage-pg-");
        int port = LocalStackProcess.freePort();
        EmbeddedPostgres[] database = {postgres(port, data)};
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        // An instance of telemetry of its own on that database, consuming every topic in groups of its own.
        ServiceProcess telemetry = system.startInstance("telemetry", run, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "MP_MESSAGING_INCOMING_READINGS_GROUP_ID", run + "-readings",
                "MP_MESSAGING_INCOMING_DETECTIONS_GROUP_ID", run + "-detections",
                "MP_MESSAGING_INCOMING_ALERT_EVENTS_GROUP_ID", run + "-alert-events",
                "MP_MESSAGING_INCOMING_TASK_EVENTS_GROUP_ID", run + "-task-events"));
        try {
            Timeline timeline = Timeline.start();
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> produce(run));
            timeline.at(Duration.ofSeconds(6), "stop the database", () -> database[0].close());
            timeline.at(Duration.ofSeconds(66), "start the database again", () -> database[0] = postgres(port, data));
            stream.join();

            awaitExactlyOnce(run, () -> DriverManager.getConnection(url, "postgres", "postgres"));
            assertThat(telemetry.isReady()).as("telemetry rode out the outage").isTrue();
        } finally {
            telemetry.stop();
            database[0].close();
        }
    }

    private static EmbeddedPostgres postgres(int port, Path data) throws java.io.IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false)
                // The binaries by name: the default lookup refuses to choose when a classpath holds the
                // same binaries jar twice (the local stack's copy of it can be visible beside Maven's).
                .setPgBinaryResolver((system, machine) -> TelemetryDurabilityTest.class.getClassLoader()
                        .getResourceAsStream("postgres-" + system.toLowerCase() + "-" + machine + ".txz"))
                .start();
    }

    /** READINGS readings of two values each, PER_SECOND a second, straight into the readings topic. */
    private static void produce(String run) {
        Properties config = new Properties();
        config.put("bootstrap.servers", system.endpoints().kafkaBootstrap());
        config.put("linger.ms", "5");
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            long began = System.nanoTime();
            for (int i = 0; i < READINGS; i++) {
                String device = run + "-dev-" + i % 20;
                Reading reading = Reading.newBuilder().setDeviceId(device).setEventId(run + "-" + i)
                        .setGatewayId(run + "-gw").setSensorType("mattress")
                        .setObservedAt(Timestamps.of(start.plusMillis(i * 100L))).putValues("heartRate", 60 + i % 30)
                        .putValues("inBed", 1).build();
                producer.send(new ProducerRecord<>(Topics.READINGS, device, reading.toByteArray()));
                long due = began + (i + 1) * 1_000_000_000L / PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Database {
        Connection open() throws SQLException;
    }

    private static void awaitExactlyOnce(String run, Database database) throws Exception {
        await("every reading of " + run + " stored").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> counts(run, database)[0] >= READINGS);
        // A late redelivery would show now as a third row of an event.
        Thread.sleep(3_000);
        long[] counts = counts(run, database);
        assertThat(counts[0]).as("readings stored").isEqualTo(READINGS);
        assertThat(counts[1]).as("value rows: two per reading").isEqualTo(2L * READINGS);
        assertThat(counts[2]).as("readings stored other than exactly twice (one row per value)").isZero();
    }

    /** Distinct readings, value rows, and readings without exactly two rows. */
    private static long[] counts(String run, Database database) throws SQLException {
        try (Connection connection = database.open();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT count(*), coalesce(sum(n), 0), count(*) FILTER (WHERE n <> 2) FROM (
                         SELECT event_id, count(*) AS n FROM telemetry.reading_value WHERE event_id LIKE ?
                         GROUP BY event_id) readings""")) {
            query.setString(1, run + "-%");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2), row.getLong(3)};
            }
        } catch (SQLException e) {
            // The database may be down mid-test; the await polls again.
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return new long[] {-1, -1, -1};
            }
            throw e;
        }
    }
}
