package org.gridwatch.telemetry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A reading the database can never hold (its time is in the year 300,000, past timestamptz's
 * range) in the middle of good ones, straight into the topic as a faulty producer would send it:
 * the good ones are stored, the bad one goes to the dead-letter topic with the reason, and the
 * writer carries on.
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
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 50; i++) {
                Instant at = i == 25 ? Instant.parse("+300000-01-01T00:00:00Z") : start.plusSeconds(i);
                Reading reading = Reading.newBuilder().setDeviceId(device).setEventId(device + "-" + i)
                        .setObservedAt(Timestamps.of(at)).putValues("smoke", 0).build();
                producer.send(new ProducerRecord<>(Topics.READINGS, device, reading.toByteArray()));
            }
        }

        Properties consumerConfig = new Properties();
        consumerConfig.put("bootstrap.servers", bootstrap);
        consumerConfig.put("group.id", "dead-letter-test-" + device);
        consumerConfig.put("auto.offset.reset", "earliest");
        ConsumerRecord<String, byte[]> deadLetter = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TELEMETRY_DEAD_LETTER));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (deadLetter == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (Reading.parseFrom(record.value()).getDeviceId().equals(device)) {
                        deadLetter = record;
                    }
                }
            }
        }

        assertThat(deadLetter).as("the unstorable reading on " + Topics.TELEMETRY_DEAD_LETTER).isNotNull();
        assertThat(Reading.parseFrom(deadLetter.value()).getEventId()).isEqualTo(device + "-25");
        assertThat(header(deadLetter, Topics.HEADER_REASON)).isEqualTo("NOT_STORABLE");
        assertThat(header(deadLetter, Topics.HEADER_DETAIL)).as("the database's reason").containsIgnoringCase("range");
        assertThat(header(deadLetter, Topics.HEADER_SOURCE_TOPIC)).isEqualTo(Topics.READINGS);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM telemetry.reading_value WHERE device_id = ?")) {
            query.setString(1, device);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).as("the 49 good readings").isEqualTo(49);
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
