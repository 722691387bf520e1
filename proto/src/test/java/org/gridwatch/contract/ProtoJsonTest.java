package org.gridwatch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.ReadingBatch;
import org.junit.jupiter.api.Test;

class ProtoJsonTest {

    private static final Reading READING = Reading.newBuilder().setEventId("e1").setDeviceId("mat-1")
            .setObservedAt(Timestamps.of(Instant.parse("2026-11-27T08:00:05Z"))).putValues("heartRate", 72)
            .putAttributes("firmware", "2.1.0").build();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsTheProtobufJsonMappingAndRoundTrips() throws Exception {
        String json = ProtoJson.toJson(READING);

        assertThat(json).contains("\"eventId\":\"e1\"", "\"observedAt\":\"2026-11-27T08:00:05Z\"");
        assertThat(ProtoJson.decodeReadings(utf8(json), null)).containsExactly(READING);
    }

    @Test
    void oneReadingAnArrayAndABatchObjectAreAllAcceptedAndSnakeCaseToo() throws Exception {
        String one = "{\"event_id\":\"e1\",\"device_id\":\"mat-1\",\"observed_at\":\"2026-11-27T08:00:05Z\","
                + "\"values\":{\"heartRate\":72},\"attributes\":{\"firmware\":\"2.1.0\"},\"futureField\":true}";

        assertThat(ProtoJson.decodeReadings(utf8(one), "application/json")).containsExactly(READING);
        assertThat(ProtoJson.decodeReadings(utf8("[" + one + "," + one + "]"), null)).hasSize(2);
        assertThat(ProtoJson.decodeReadings(utf8("{\"readings\":[" + one + "]}"), null)).containsExactly(READING);
    }

    @Test
    void protobufIsABatchUnlessTheContentTypeNamesASingleReading() throws Exception {
        byte[] batch = ReadingBatch.newBuilder().addReadings(READING).addReadings(READING).build().toByteArray();

        assertThat(ProtoJson.decodeReadings(batch, "application/x-protobuf")).hasSize(2);
        assertThat(ProtoJson.decodeReadings(READING.toByteArray(),
                "application/x-protobuf; messageType=gridwatch.v1.Reading")).containsExactly(READING);
    }

    @Test
    void badPayloadsSayWhatIsWrong() {
        assertThatThrownBy(() -> ProtoJson.decodeReadings(utf8("{\"eventId\":"), null))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.UNDECODABLE));
        assertThatThrownBy(() -> ProtoJson.decodeReadings(utf8("{\"values\":{\"heartRate\":\"high\"}}"), null))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE));
        assertThatThrownBy(() -> ProtoJson.decodeReadings(utf8("[1, 2]"), null))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE));
        byte[] truncated = java.util.Arrays.copyOf(READING.toByteArray(), 9);
        assertThatThrownBy(() -> ProtoJson.decodeReadings(truncated, "application/x-protobuf"))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.UNDECODABLE));
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsPath() {
        assertThatThrownBy(() -> ProtoJson.mergeJson(
                "{\"id\":\"V9\",\"threshold\":{\"field\":\"x\",\"levels\":[{\"atOrAbove\":1},{\"atOrAbove\":\"high\"}]}}",
                org.gridwatch.contract.v1.Rule.newBuilder()))
                .hasMessageStartingWith("threshold.levels[1].atOrAbove: ");
    }

    @Test
    void kafkaSerdeRoundTripsAndNamesTheTopicOfABadRecord() {
        Serdes.ReadingSerde serde = new Serdes.ReadingSerde();

        assertThat(serde.deserialize("t", serde.serialize("t", READING))).isEqualTo(READING);
        assertThat(serde.deserialize("t", null)).isNull();
        assertThatThrownBy(() -> serde.deserialize("gridwatch.readings.v1", new byte[] {(byte) 0xff, 0x01}))
                .hasMessageContaining("gridwatch.readings.v1");
        assertThat(List.of(Topics.spec(Topics.REGISTRY).config())).containsExactly(
                java.util.Map.of("cleanup.policy", "compact"));
    }
}
