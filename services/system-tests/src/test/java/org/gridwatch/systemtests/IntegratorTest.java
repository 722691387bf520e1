package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.gridwatch.contract.Topics;
import org.junit.jupiter.api.Test;

/**
 * An integrator connects a new kind of sensor through the registry API alone: the type, a rule
 * for it, then a device of it. Readings that fit the type are stored and raise an alert through
 * the rule; readings that do not are dead-lettered with the reason; broken type and rule
 * definitions are refused with a message naming the field.
 */
class IntegratorTest extends SystemTest {

    private static final String GATEWAY = "gw-b4-101";


    @Test
    void aNewSensorTypeRuleAndDeviceRegisteredThroughTheApiWorkEndToEndWithoutARelease() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String type = "water-meter-" + run;
        String device = "meter-" + run;

        HttpResponse<String> broken = system.put("registry", "/api/v1/sensor-types/" + type, """
                {"fields":[{"name":"volume","unit":"m3","min":5,"max":1}]}""");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("fields[0].min 5.0 is above fields[0].max 1.0");

        HttpResponse<String> created = system.put("registry", "/api/v1/sensor-types/" + type, """
                {"description":"Water meter (rule I3)","samplingIntervalSeconds":1800,
                 "fields":[{"name":"volume","unit":"m3","min":0,"required":true},
                           {"name":"flowing","unit":"flag","min":0,"max":1,"integer":true}]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        HttpResponse<String> brokenRule = system.put("registry", "/api/v1/rules/I3-" + run, """
                {"version":1,"kind":"water.flowing","sensorTypes":["%s"],
                 "threshold":{"field":"flow","levels":[{"atOrAbove":1}]}}""".formatted(type));
        assertThat(brokenRule.statusCode()).isEqualTo(400);
        assertThat(brokenRule.body()).contains("threshold.field 'flow' is not a field of " + type)
                .contains("threshold.levels[0].severity is missing");
        HttpResponse<String> mistyped = system.put("registry", "/api/v1/rules/I3-" + run, """
                {"version":1,"kind":"water.flowing","threshold":{"field":"flowing","sustainSeconds":"soon"}}""");
        assertThat(mistyped.statusCode()).isEqualTo(400);
        assertThat(mistyped.body()).contains("threshold.sustainSeconds");
        HttpResponse<String> rule = system.put("registry", "/api/v1/rules/I3-" + run, """
                {"version":1,"kind":"water.flowing","description":"Water flowing (rule I3, simplified)",
                 "sensorTypes":["%s"],"threshold":{"field":"flowing","levels":[{"severity":"WARNING","atOrAbove":1}]}}"""
                .formatted(type));
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(200);

        HttpResponse<String> unknownType = system.put("registry", "/api/v1/devices/" + device, """
                {"gatewayId":"%s","areaId":"b4-101","sensorType":"no-such-type"}""".formatted(GATEWAY));
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(unknownType.body()).contains("unknown sensor type 'no-such-type'");
        HttpResponse<String> registered = system.put("registry", "/api/v1/devices/" + device, """
                {"gatewayId":"%s","areaId":"b4-101","sensorType":"%s","power":"BATTERY"}""".formatted(GATEWAY, type));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);

        Instant now = Instant.now();
        List<TopicReader.Received> refused = new ArrayList<>();
        try (TopicReader deadLetters = new TopicReader(system.endpoints().kafkaBootstrap(), Topics.INGEST_DEAD_LETTER);
             TestGateway gateway = system.gateway(GATEWAY)) {
            // The bridge learns of the new device from the registry topic within moments; until
            // then it refuses it as unknown, so publish until the first reading is stored.
            await("the new device accepted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        gateway.publishJson(reading("ok-" + run, device, now, "\"volume\":12.5,\"flowing\":1"));
                        gateway.flush();
                        return stored("ok-" + run) == 1;
                    });
            gateway.publishJson(reading("negative-" + run, device, now, "\"volume\":-3"));
            gateway.publishJson(reading("stranger-" + run, device, now, "\"volume\":1,\"temperature\":20"));
            gateway.flush();
            await("two readings refused").atMost(Duration.ofSeconds(30)).until(() -> {
                deadLetters.poll().stream().filter(d -> d.header(Topics.HEADER_DETAIL).contains(type))
                        .forEach(refused::add);
                return refused.size() >= 2;
            });
        }
        assertThat(refused).extracting(d -> d.header(Topics.HEADER_REASON)).containsExactly("OUT_OF_RANGE", "FIELD_MISMATCH");
        await("an alert from the new rule").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(system.get("alert-routing", "/api/v1/alerts?state=OPEN&kind=water.flowing")
                        .getAsJsonArray().asList()).anySatisfy(alert -> {
                            assertThat(alert.getAsJsonObject().get("subjectId").getAsString()).isEqualTo(device);
                            assertThat(alert.getAsJsonObject().get("severity").getAsString()).isEqualTo("WARNING");
                        }));
        assertThat(refused.get(0).header(Topics.HEADER_DETAIL)).isEqualTo("volume -3 m3 is outside its valid range 0..inf for " + type);
        assertThat(refused.get(1).header(Topics.HEADER_DETAIL)).startsWith("'temperature' is not a field of " + type);
    }

    private static String reading(String eventId, String device, Instant at, String values) {
        return "{\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + device + "\",\"observedAt\":\"" + at
                + "\",\"values\":{" + values + "}}";
    }

    private static long stored(String eventId) throws Exception {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(DISTINCT event_id) FROM telemetry.reading_value WHERE event_id = ?")) {
            query.setString(1, eventId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
