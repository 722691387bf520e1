package org.gridwatch.ingest.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.ReadingBatch;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.registryview.RegistryState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TriageTest {

    private static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");
    private static final String TOPIC = "gridwatch/v1/gw-1/telemetry";

    private final RegistryState registry = new RegistryState();
    private Triage triage;

    @BeforeEach
    void registerOneGatewayWithOneMattress() {
        registry.apply("gateway/gw-1", RegistryRecord.newBuilder().setGateway(Gateway.newBuilder().setId("gw-1")).build());
        registry.apply("gateway/gw-2", RegistryRecord.newBuilder().setGateway(Gateway.newBuilder().setId("gw-2")).build());
        registry.apply("device/mat-1", RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId("mat-1")
                .setGatewayId("gw-1").setSensorType("mattress")).build());
        registry.apply("device/meter-1", RegistryRecord.newBuilder().setDevice(Device.newBuilder().setId("meter-1")
                .setGatewayId("gw-1").setSensorType("water-meter")).build());
        SensorType mattress = SensorType.newBuilder().setName("mattress")
                .addFields(SensorType.Field.newBuilder().setName("heartRate").setUnit("bpm").setMin(0).setMax(250))
                .addFields(SensorType.Field.newBuilder().setName("inBed").setUnit("flag").setMin(0).setMax(1).setInteger(true))
                .addFields(SensorType.Field.newBuilder().setName("a").setUnit("x"))
                .build();
        registry.apply("sensor-type/mattress", RegistryRecord.newBuilder().setSensorType(mattress).build());
        triage = new Triage(registry, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(Outgoing outgoing) {
        return outgoing.headers().get(Topics.HEADER_REASON);
    }

    @Test
    void aValidJsonReadingGoesToTheReadingsTopicKeyedByDeviceWithGatewayTypeAndReceiptFilledIn() throws Exception {
        List<Outgoing> out = triage.triage(TOPIC, json("""
                {"eventId":"e1","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":72,"inBed":1}}
                """), null);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(Topics.READINGS);
        assertThat(out.get(0).key()).isEqualTo("mat-1");
        Reading reading = Reading.parseFrom(out.get(0).value());
        assertThat(reading.getGatewayId()).isEqualTo("gw-1");
        assertThat(reading.getSensorType()).isEqualTo("mattress");
        assertThat(reading.getValuesMap()).containsEntry("heartRate", 72.0);
        assertThat(Timestamps.toInstant(reading.getReceivedAt())).isEqualTo(NOW);
    }

    @Test
    void aProtobufBatchIsSplitIntoOneRecordPerReading() {
        Reading.Builder reading = Reading.newBuilder().setDeviceId("mat-1").setObservedAt(Timestamps.of(NOW))
                .putValues("heartRate", 70);
        byte[] batch = ReadingBatch.newBuilder().addReadings(reading.setEventId("a")).addReadings(reading.setEventId("b"))
                .build().toByteArray();

        List<Outgoing> out = triage.triage(TOPIC, batch, "application/x-protobuf");

        assertThat(out).extracting(Outgoing::topic).containsExactly(Topics.READINGS, Topics.READINGS);
    }

    @Test
    void malformedJsonIsDeadLetteredWholeAsUndecodableWithTheOriginalPayload() {
        byte[] payload = json("{\"eventId\":\"e1\", \"deviceId\": ");

        List<Outgoing> out = triage.triage(TOPIC, payload, null);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(Topics.INGEST_DEAD_LETTER);
        assertThat(reason(out.get(0))).isEqualTo("UNDECODABLE");
        assertThat(out.get(0).value()).isEqualTo(payload);
        assertThat(out.get(0).headers()).containsEntry(Topics.HEADER_GATEWAY, "gw-1");
    }

    @Test
    void aTruncatedProtobufIsUndecodable() {
        byte[] whole = ReadingBatch.newBuilder().addReadings(Reading.newBuilder().setEventId("e1").setDeviceId("mat-1")
                .setObservedAt(Timestamps.of(NOW)).putValues("heartRate", 70)).build().toByteArray();

        List<Outgoing> out = triage.triage(TOPIC, Arrays.copyOf(whole, whole.length - 5), "application/x-protobuf");

        assertThat(out).singleElement().extracting(TriageTest::reason).isEqualTo("UNDECODABLE");
    }

    @Test
    void textWhereANumberBelongsIsAWrongType() {
        List<Outgoing> out = triage.triage(TOPIC, json("""
                {"eventId":"e1","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":"fast"}}
                """), null);

        assertThat(out).singleElement().extracting(TriageTest::reason).isEqualTo("WRONG_TYPE");
    }

    @Test
    void unknownDevicesForeignDevicesAndMissingFieldsAreRefusedOneByOneWhileTheGoodReadingPasses() {
        List<Outgoing> out = triage.triage(TOPIC, json("""
                [{"eventId":"ok","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":70}},
                 {"eventId":"x1","deviceId":"ghost","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":70}},
                 {"eventId":"x2","deviceId":"mat-1","gatewayId":"gw-2","observedAt":"2026-11-27T01:59:58Z","values":{"a":1}},
                 {"deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":70}},
                 {"eventId":"x4","deviceId":"mat-1","sensorType":"smoke","observedAt":"2026-11-27T01:59:58Z","values":{"a":1}}]
                """), null);

        assertThat(out).extracting(Outgoing::topic).containsExactly(Topics.READINGS, Topics.INGEST_DEAD_LETTER,
                Topics.INGEST_DEAD_LETTER, Topics.INGEST_DEAD_LETTER, Topics.INGEST_DEAD_LETTER);
        assertThat(out.subList(1, 5)).extracting(TriageTest::reason)
                .containsExactly("UNKNOWN_DEVICE", "GATEWAY_MISMATCH", "MISSING_FIELD", "SENSOR_TYPE_MISMATCH");
    }

    @Test
    void aDevicePublishedOnAnotherGatewaysTopicIsAGatewayMismatch() {
        List<Outgoing> out = triage.triage("gridwatch/v1/gw-2/telemetry", json("""
                {"eventId":"e1","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":70}}
                """), null);

        assertThat(out).singleElement().extracting(TriageTest::reason).isEqualTo("GATEWAY_MISMATCH");
    }

    @Test
    void theGatewaysTraceContextTravelsOnEveryRecordMadeFromTheMessage() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        List<Outgoing> out = triage.triage(TOPIC, json("""
                [{"eventId":"e1","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":70}},
                 {"eventId":"e2","deviceId":"ghost","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":70}}]
                """), null, traceparent);

        assertThat(out).hasSize(2).allSatisfy(o -> assertThat(o.headers()).containsEntry("traceparent", traceparent));
    }

    @Test
    void valuesAreCheckedAgainstTheSensorTypeOfTheCatalog() {
        List<Outgoing> out = triage.triage(TOPIC, json("""
                [{"eventId":"r1","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRat":70}},
                 {"eventId":"r2","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":400}},
                 {"eventId":"r3","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"inBed":0.5}},
                 {"eventId":"r4","deviceId":"meter-1","observedAt":"2026-11-27T01:59:58Z","values":{"volume":1}},
                 {"eventId":"r5","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"heartRate":72,"inBed":1}}]
                """), null);

        assertThat(out).extracting(TriageTest::reason)
                .containsExactly("FIELD_MISMATCH", "OUT_OF_RANGE", "OUT_OF_RANGE", "UNKNOWN_SENSOR_TYPE", null);
        assertThat(out.get(0).headers().get(Topics.HEADER_DETAIL))
                .isEqualTo("'heartRat' is not a field of mattress (its fields: heartRate, inBed, a)");
        assertThat(out.get(1).headers().get(Topics.HEADER_DETAIL))
                .isEqualTo("heartRate 400 bpm is outside its valid range 0..250 for mattress");
    }

    @Test
    void anInfiniteValueIsOutOfRangeEvenForAFieldWithoutBounds() {
        Reading.Builder infinite = Reading.newBuilder().setEventId("p1").setDeviceId("mat-1").setObservedAt(Timestamps.of(NOW))
                .putValues("a", Double.NEGATIVE_INFINITY);
        List<Outgoing> protobuf = triage.triage(TOPIC, ReadingBatch.newBuilder().addReadings(infinite).build().toByteArray(),
                "application/x-protobuf");
        List<Outgoing> fromJson = triage.triage(TOPIC, json("""
                [{"eventId":"j1","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"a":"Infinity"}},
                 {"eventId":"j2","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"a":"NaN"}},
                 {"eventId":"j3","deviceId":"mat-1","observedAt":"2026-11-27T01:59:58Z","values":{"a":1e308}}]
                """), null);

        assertThat(protobuf).extracting(TriageTest::reason).containsExactly("OUT_OF_RANGE");
        assertThat(protobuf.get(0).headers().get(Topics.HEADER_DETAIL)).isEqualTo("'a' is -Infinity: a reading's values are finite numbers");
        assertThat(fromJson).extracting(TriageTest::reason).containsExactly("OUT_OF_RANGE", "OUT_OF_RANGE", null);
    }

    @Test
    void aTopicOutsideTheContractIsRefused() {
        assertThat(triage.triage("gridwatch/v1/gw-1/other", json("{}"), null))
                .singleElement().extracting(TriageTest::reason).isEqualTo("BAD_TOPIC");
    }

    @Test
    void aLastWillWithoutTimeIsStampedAndKeyedByGateway() {
        List<Outgoing> out = triage.triage("gridwatch/v1/gw-1/status", json("{\"state\":\"OFFLINE\"}"), null);

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo(Topics.GATEWAY_STATUS);
            assertThat(o.key()).isEqualTo("gw-1");
        });
    }
}
