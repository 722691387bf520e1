package org.gridwatch.telemetry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Telemetry against the real Kafka broker and database: readings through their topic stored once
 * each however often they come, the aggregates, and retention. On the local stack that database is
 * plain PostgreSQL (materialized views, retention by deleting rows); where Testcontainers runs it is
 * TimescaleDB (continuous aggregates, chunks dropped), and the same assertions hold.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class StorageTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    StorageSetup storage;

    @Inject
    TimeSeriesStore store;

    @Inject
    PlainPostgresJobs jobs;

    @Inject
    DataSource dataSource;

    private static Reading reading(String device, String eventId, Instant at, double heartRate, double respiration) {
        return Reading.newBuilder().setDeviceId(device).setEventId(eventId).setGatewayId("gw-" + device)
                .setSensorType("mattress").setObservedAt(Timestamps.of(at)).setReceivedAt(Timestamps.of(at.plusMillis(300)))
                .putValues("heartRate", heartRate).putValues("respirationRate", respiration).build();
    }

    @Test
    void readingsFromTheTopicAreStoredOnceEachThoughDeliveredTwiceAndReadBackWhole() throws Exception {
        String device = "mat-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            readings.add(reading(device, device + "-" + i, start.plusSeconds(i), 60 + i % 20,
                    i == 7 ? Double.NaN : 14));
        }
        readings.add(readings.get(0).toBuilder().putAttributes("firmware", "2.1.4").build().toBuilder()
                .setEventId(device + "-attrs").setObservedAt(Timestamps.of(start.minusSeconds(1))).build());

        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            // Every reading twice over the topic, as a producer retrying or a consumer restarting would.
            for (int round = 0; round < 2; round++) {
                for (Reading reading : readings) {
                    producer.send(new ProducerRecord<>(Topics.READINGS, device, reading.toByteArray()));
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count("SELECT count(*) FROM telemetry.reading_value WHERE device_id = ?", device) < 2L * readings.size()
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2_000);
        // And a batch written again straight to the writer: the staging path must skip every row.
        assertThat(store.writeReadings(readings.subList(0, 100))).isEmpty();

        assertThat(storage.mode()).as("chosen at start").isNotNull();
        assertThat(count("SELECT count(*) FROM telemetry.reading_value WHERE device_id = ?", device))
                .as("two values per reading, once each").isEqualTo(2L * readings.size());
        List<TimeSeriesStore.StoredReading> stored = store.readings(device, start.minusSeconds(5),
                start.plusSeconds(600), 10_000);
        assertThat(stored).hasSize(readings.size());
        assertThat(stored.get(0).attributes()).containsEntry("firmware", "2.1.4");
        TimeSeriesStore.StoredReading eighth = stored.get(8);
        assertThat(eighth.eventId()).isEqualTo(device + "-7");
        assertThat(eighth.values().get("respirationRate")).isNaN();
        assertThat(eighth.values()).containsEntry("heartRate", 67.0);
        assertThat(eighth.receivedAt()).isEqualTo(start.plusSeconds(7).plusMillis(300));
    }

    @Test
    void theAggregateViewsAreRefreshedAndRetentionDeletesWhatIsOlderThanTheLimitAndNothingYounger()
            throws Exception {
        String device = "mat-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<Reading> readings = new ArrayList<>();
        // Two readings a minute for 10 minutes now, and readings 29 and 31 days old.
        for (int i = 0; i < 20; i++) {
            readings.add(reading(device, device + "-now-" + i, now.minus(Duration.ofMinutes(10)).plusSeconds(30L * i),
                    60 + i, 14));
        }
        readings.add(reading(device, device + "-29d", now.minus(Duration.ofDays(29)), 70, 15));
        readings.add(reading(device, device + "-31d", now.minus(Duration.ofDays(31)), 70, 15));
        assertThat(store.writeReadings(readings)).isEmpty();

        jobs.refreshAll();
        jobs.refreshAll();

        assertThat(count("SELECT sum(samples) FROM telemetry.reading_1m WHERE device_id = ? AND metric = 'heartRate'",
                device)).isEqualTo(22);
        // From the test's own minute, not the database's now(): the minute may turn between the two.
        assertThat(count("SELECT count(*) FROM telemetry.reading_1m WHERE device_id = ? AND metric = 'heartRate' "
                + "AND bucket >= ?::timestamptz AND samples = 2", device, now.minus(Duration.ofMinutes(10)).toString()))
                .isEqualTo(10);
        assertThat(count("SELECT max(high)::bigint FROM telemetry.reading_1h WHERE device_id = ? AND metric = 'heartRate'",
                device)).isEqualTo(79);

        jobs.deleteExpired();

        assertThat(count("SELECT count(DISTINCT event_id) FROM telemetry.reading_value WHERE device_id = ?", device))
                .as("the 31-day-old reading deleted, the 29-day-old one and today's kept").isEqualTo(21);
        assertThat(count("SELECT count(*) FROM telemetry.reading_value WHERE device_id = ? AND event_id = ?",
                device, device + "-29d")).isEqualTo(2);
    }

    private long count(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
