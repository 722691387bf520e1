package org.gridwatch.telemetry.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * Records telemetry cannot store, in the middle of good ones, straight into the topic as a faulty
 * producer would send them: a reading the database can never hold (its time is in the year
 * 300,000, past timestamptz's range) and bytes that are no reading at all. The good ones are
 * stored; each bad one goes to the dead-letter topic as it came, with the reason and where it came
 * from; the writer carries on.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class DeadLetterTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    DataSource dataSource;

    @Test
    void aReadingThatCanNeverBeStoredIsDeadLetteredWithTheReasonAndTheRestAreStored() throws Exception {
        String device = "dl-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        send(device, i -> {
            Instant at = i == 25 ? Instant.parse("+300000-01-01T00:00:00Z") : start.plusSeconds(i);
            return reading(device, i, at).toByteArray();
        });

        ConsumerRecord<String, byte[]> deadLetter = deadLetterOf(device);

        assertThat(Reading.parseFrom(deadLetter.value()).getEventId()).isEqualTo(device + "-25");
        assertThat(header(deadLetter, Topics.HEADER_REASON)).isEqualTo("REFUSED");
        assertThat(header(deadLetter, Topics.HEADER_DETAIL)).as("the database's reason").containsIgnoringCase("range");
        assertThat(header(deadLetter, Topics.HEADER_SOURCE_TOPIC)).startsWith(Topics.READINGS + "/");
        assertThat(stored(device)).as("the 49 good readings").isEqualTo(49);
    }

    @Test
    void bytesThatAreNoReadingAreDeadLetteredAsTheyCameAndTheRestAreStored() throws Exception {
        String device = "dl-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        byte[] garbage = ("not a reading of " + device).getBytes(StandardCharsets.UTF_8);
        send(device, i -> i == 25 ? garbage : reading(device, i, start.plusSeconds(i)).toByteArray());

        ConsumerRecord<String, byte[]> deadLetter = deadLetterOf(device);

        assertThat(deadLetter.value()).as("the original bytes").isEqualTo(garbage);
        assertThat(header(deadLetter, Topics.HEADER_REASON)).isEqualTo("UNDECODABLE");
        assertThat(header(deadLetter, Topics.HEADER_DETAIL)).isNotBlank();
        assertThat(header(deadLetter, Topics.HEADER_SOURCE_TOPIC)).startsWith(Topics.READINGS + "/");
        await("the 49 good readings").atMost(Duration.ofSeconds(30)).until(() -> stored(device) == 49);
    }

    private static Reading reading(String device, int i, Instant at) {
        return Reading.newBuilder().setDeviceId(device).setEventId(device + "-" + i)
                .setObservedAt(Timestamps.of(at)).putValues("smoke", 0).build();
    }

    /** 50 records of the device, in order, straight into the readings topic. */
    private void send(String device, IntFunction<byte[]> record) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(Topics.READINGS, device, record.apply(i)));
            }
        }
    }

    /** The device's dead letter: the one keyed by it, or whose value is one of its readings. */
    private ConsumerRecord<String, byte[]> deadLetterOf(String device) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("group.id", "dead-letter-test-" + device);
        config.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TELEMETRY_DEAD_LETTER));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (device.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("No dead letter of " + device + " on " + Topics.TELEMETRY_DEAD_LETTER);
    }

    private long stored(String device) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM telemetry.reading_value WHERE device_id = ?")) {
            query.setString(1, device);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
