package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.ReadingBatch;
import org.junit.jupiter.api.Test;

/**
 * Bad input from a gateway lands in the dead-letter topic with its reason, and neither stops the
 * bridge nor costs the good messages sent around it; a record detection cannot decode lands in
 * detection's dead-letter topic, and detection carries on.
 */
class BadInputTest extends SystemTest {

    private static final String GATEWAY = "gw-b2-101";
    private static final String DOOR = "door-b2-101";
    /** A real device, but of another gateway. */
    private static final String FOREIGN_DEVICE = "door-b1-201";


    @Test
    void eachBadMessageIsDeadLetteredWithItsReasonAndTheGoodOnesAroundThemAreStored() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        List<String> good = new ArrayList<>();
        try (TopicReader deadLetters = new TopicReader(system.endpoints().kafkaBootstrap(), Topics.INGEST_DEAD_LETTER);
             TestGateway gateway = system.gateway(GATEWAY)) {
            good.add(publishGood(gateway, run, 1, now));
            gateway.publishJson("{\"eventId\":\"bad-json-" + run + "\",\"deviceId\":");
            good.add(publishGood(gateway, run, 2, now));
            byte[] protobuf = ReadingBatch.newBuilder().addReadings(reading("bad-proto-" + run, DOOR, now)).build()
                    .toByteArray();
            gateway.publishProtobuf(Arrays.copyOf(protobuf, protobuf.length - 7));
            good.add(publishGood(gateway, run, 3, now));
            gateway.publishJson(json("unknown-" + run, "ghost-device-" + run, now));
            good.add(publishGood(gateway, run, 4, now));
            gateway.publishJson(json("foreign-" + run, FOREIGN_DEVICE, now));
            good.add(publishGood(gateway, run, 5, now));
            gateway.flush();

            List<TopicReader.Received> received = new ArrayList<>();
            await("four dead letters from " + GATEWAY).atMost(Duration.ofSeconds(30)).until(() -> {
                deadLetters.poll().stream().filter(d -> GATEWAY.equals(d.header(Topics.HEADER_GATEWAY)))
                        .forEach(received::add);
                return received.size() >= 4;
            });

            assertThat(received).extracting(d -> d.header(Topics.HEADER_REASON))
                    .containsExactly("UNDECODABLE", "UNDECODABLE", "UNKNOWN_DEVICE", "GATEWAY_MISMATCH");
            assertThat(received.get(0).header(Topics.HEADER_DETAIL)).startsWith("Malformed JSON");
            assertThat(new String(received.get(0).value(), StandardCharsets.UTF_8)).contains("bad-json-" + run);
            assertThat(received.get(1).header(Topics.HEADER_DETAIL)).startsWith("Not valid protobuf");
            assertThat(received.get(2).header(Topics.HEADER_DETAIL)).contains("ghost-device-" + run);
            assertThat(received.get(3).header(Topics.HEADER_DETAIL))
                    .contains(FOREIGN_DEVICE + " belongs to gateway gw-b1-201, not to " + GATEWAY);
            assertThat(received).allSatisfy(d -> assertThat(d.header(Topics.HEADER_SOURCE_TOPIC))
                    .isEqualTo("gridwatch/v1/" + GATEWAY + "/telemetry"));
        }

        assertThat(system.service("ingest-bridge").isReady()).as("the bridge is still running and ready").isTrue();
        await("the five good readings stored").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(storedEventIds(run)).containsExactlyInAnyOrderElementsOf(good));
    }

    @Test
    void aRecordDetectionCannotDecodeIsDeadLetteredAndDetectionCarriesOn() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String device = "door-b4-301";
        Instant now = Instant.now();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.endpoints().kafkaBootstrap());
        try (TopicReader deadLetters = new TopicReader(system.endpoints().kafkaBootstrap(), Topics.DETECTION_DEAD_LETTER);
             TopicReader detections = new TopicReader(system.endpoints().kafkaBootstrap(), Topics.DETECTIONS);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                     new ByteArraySerializer())) {
            // Written straight to the topic, as a misbehaving producer would: not a Reading at all.
            producer.send(new ProducerRecord<>(Topics.READINGS, device, ("garbage-" + run).getBytes(StandardCharsets.UTF_8)));
            Reading tampered = reading("tamper-" + run, device, now).toBuilder().setReceivedAt(Timestamps.of(now))
                    .putValues("tamper", 1).build();
            producer.send(new ProducerRecord<>(Topics.READINGS, device, tampered.toByteArray()));
            producer.flush();

            List<TopicReader.Received> dead = new ArrayList<>();
            await("the undecodable record dead-lettered").atMost(Duration.ofSeconds(60)).until(() -> {
                deadLetters.poll().stream().filter(d -> new String(d.value(), StandardCharsets.UTF_8)
                        .equals("garbage-" + run)).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertThat(dead.get(0).header(Topics.HEADER_REASON)).isEqualTo("UNDECODABLE");
            assertThat(dead.get(0).header(Topics.HEADER_SOURCE_TOPIC)).startsWith(Topics.READINGS + "/");

            await("the next reading still raises its detection").atMost(Duration.ofSeconds(60)).until(() ->
                    detections.poll().stream().map(d -> parse(d.value())).anyMatch(d -> d.getDeviceId().equals(device)
                            && d.getEvidence().getRuleId().equals("D4")));
        }
        assertThat(system.service("detection").isReady()).as("detection is still running and ready").isTrue();
    }

    @Test
    void aDetectionAlertRoutingCannotDecodeIsDeadLetteredAndTheRestOfItsBatchIsApplied() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String kind = "test.bad-input-" + run;
        String subject = "mat-" + run;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.endpoints().kafkaBootstrap());
        try (TopicReader deadLetters = new TopicReader(system.endpoints().kafkaBootstrap(),
                     Topics.ALERT_ROUTING_DEAD_LETTER);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                     new ByteArraySerializer())) {
            // A garbage record between two good detections of the same subject, in one partition.
            producer.send(new ProducerRecord<>(Topics.DETECTIONS, subject,
                    DetectionSender.raised(run + ":1", subject, kind, "b3-101").toByteArray()));
            producer.send(new ProducerRecord<>(Topics.DETECTIONS, subject,
                    ("not-a-detection-" + run).getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(Topics.DETECTIONS, subject,
                    DetectionSender.raised(run + ":2", subject, kind, "b3-101").toByteArray()));
            producer.flush();

            List<TopicReader.Received> dead = new ArrayList<>();
            await("the undecodable detection dead-lettered").atMost(Duration.ofSeconds(60)).until(() -> {
                deadLetters.poll().stream().filter(d -> new String(d.value(), StandardCharsets.UTF_8)
                        .equals("not-a-detection-" + run)).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).header(Topics.HEADER_REASON)).isEqualTo("UNDECODABLE");
            assertThat(dead.get(0).header(Topics.HEADER_SOURCE_TOPIC)).startsWith(Topics.DETECTIONS + "/");
            assertThat(dead.get(0).key()).isEqualTo(subject);
            await("both good detections applied around it").atMost(Duration.ofSeconds(30)).until(() ->
                    system.get("alert-routing", "/api/v1/alerts?kind=" + kind).getAsJsonArray().size() == 1
                            && system.get("alert-routing", "/api/v1/alerts?kind=" + kind).getAsJsonArray().get(0)
                            .getAsJsonObject().get("repeatCount").getAsInt() == 2);
        }
        assertThat(system.service("alert-routing").isReady()).as("alert-routing is still running and ready").isTrue();
    }

    private static Detection parse(byte[] value) {
        try {
            return Detection.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String publishGood(TestGateway gateway, String run, int n, Instant at) throws Exception {
        String eventId = "good-" + run + "-" + n;
        gateway.publishJson(json(eventId, DOOR, at.plusMillis(n)));
        return eventId;
    }

    private static String json(String eventId, String deviceId, Instant at) {
        return """
                {"eventId":"%s","deviceId":"%s","observedAt":"%s","values":{"open":1,"battery":80}}
                """.formatted(eventId, deviceId, at);
    }

    private static Reading reading(String eventId, String deviceId, Instant at) {
        return Reading.newBuilder().setEventId(eventId).setDeviceId(deviceId).setObservedAt(Timestamps.of(at))
                .putValues("open", 1).putValues("battery", 80).build();
    }

    private static List<String> storedEventIds(String run) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT DISTINCT event_id FROM telemetry.reading_value WHERE event_id LIKE ?")) {
            query.setString(1, "%-" + run + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }
}
