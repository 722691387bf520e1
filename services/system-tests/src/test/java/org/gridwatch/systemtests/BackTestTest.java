package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** A candidate rule is run over recorded readings: the report shows what it would have raised, and nothing is raised. */
class BackTestTest extends SystemTest {

    private static final String GATEWAY = "gw-b2-301";
    private static final String MATTRESS = "mat-b2-301";


    @Test
    void aCandidateRuleOverRecordedReadingsReportsWhatItWouldHaveRaisedAndRaisesNothing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String kind = "test.backtest-" + run;
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        try (TestGateway gateway = system.gateway(GATEWAY)) {
            for (int s = 0; s <= 90; s += 5) {
                gateway.publishJson("""
                        {"eventId":"bt-%s-%d","deviceId":"%s","observedAt":"%s","values":{"heartRate":%d,"inBed":1}}
                        """.formatted(run, s, MATTRESS, start.plusSeconds(s), s < 20 ? 80 : 104));
            }
        }
        await("the recorded trace").atMost(Duration.ofSeconds(30)).until(() -> stored(run) == 19);
        String candidate = """
                {"id":"BT-%s","version":1,"kind":"%s","sensorTypes":["mattress"],
                 "threshold":{"field":"heartRate","levels":[{"severity":"WARNING","atOrAbove":100}],"sustainSeconds":30}}
                """.formatted(run, kind);

        HttpResponse<String> refused = system.post("detection", "/api/v1/backtest", """
                {"areaId":"b2-301","from":"%s","to":"%s","rules":[{"id":"x","version":1,"kind":"a.b",
                 "threshold":{"field":"heartRate","levels":[{"atOrAbove":100}]}}]}""".formatted(start, start.plusSeconds(600)));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("rules[0].threshold.levels[0].severity is missing");

        HttpResponse<String> response = system.post("detection", "/api/v1/backtest", """
                {"areaId":"b2-301","from":"%s","to":"%s","rules":[%s]}
                """.formatted(start.minusSeconds(60), start.plusSeconds(600), candidate));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject report = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(report.get("readings").getAsInt()).isEqualTo(19);
        assertThat(report.getAsJsonObject("byRule").getAsJsonObject("BT-" + run).get("raised").getAsInt()).isEqualTo(1);
        JsonObject raised = report.getAsJsonArray("detections").get(0).getAsJsonObject();
        assertThat(raised.get("kind").getAsString()).isEqualTo(kind);
        assertThat(raised.get("conditionSince").getAsString()).isEqualTo(start.plusSeconds(20).toString());
        assertThat(Instant.parse(raised.get("detectedAt").getAsString())).isEqualTo(start.plusSeconds(50));

        // Nothing was raised for real: no alert of the candidate's kind.
        ServiceProcess.sleep(3_000);
        assertThat(system.get("alert-routing", "/api/v1/alerts?kind=" + kind).getAsJsonArray()).isEmpty();
    }

    private static long stored(String run) throws Exception {
        try (Connection connection = system.database();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(DISTINCT event_id) FROM telemetry.reading_value WHERE event_id LIKE ?")) {
            query.setString(1, "bt-" + run + "-%");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
