package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The walking skeleton's promise: a mattress reporting heart rate 140 in bed for longer than the
 * rule's 60 s becomes, through MQTT, Kafka, detection, alert-routing and grid-dispatch, an open
 * critical alert for its unit and a task for a worker of its grid, and everything is stored. The
 * worker accepts, arrives and resolves; someone else verifies; the task closes and the alert is
 * resolved in alert-routing, naming the verifier.
 */
class EndToEndTest extends SystemTest {

    private static final String GATEWAY = "gw-b1-101";
    private static final String MATTRESS = "mat-b1-101";
    private static final String UNIT = "b1-101";
    private static final String GRID = "lf-c1-g1";


    @Test
    void aSustainedHighHeartRateInBedBecomesAnAlertAndATaskWhoseVerifiedFixResolvesTheAlertAndAllIsStored() throws Exception {
        // 75 s of samples every 5 s, as a gateway uploads them: observed times in the past, sent now.
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now().minusSeconds(80).truncatedTo(ChronoUnit.SECONDS);
        List<String> eventIds = new ArrayList<>();
        try (TestGateway gateway = system.gateway(GATEWAY)) {
            for (int s = 0; s <= 75; s += 5) {
                String eventId = "e2e-" + run + "-" + s;
                eventIds.add(eventId);
                gateway.publishJson("""
                        {"eventId":"%s","deviceId":"%s","observedAt":"%s","values":{"heartRate":140,"inBed":1}}
                        """.formatted(eventId, MATTRESS, start.plusSeconds(s)));
            }
        }

        AtomicReference<JsonObject> alert = new AtomicReference<>();
        await("an open heart-rate alert for " + MATTRESS).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (JsonElement element : system.get("alert-routing", "/api/v1/alerts?state=OPEN").getAsJsonArray()) {
                        JsonObject candidate = element.getAsJsonObject();
                        if (candidate.get("subjectId").getAsString().equals(MATTRESS)
                                && candidate.get("kind").getAsString().equals("vital-signs.heart-rate")) {
                            alert.set(candidate);
                            return true;
                        }
                    }
                    return false;
                });
        JsonObject opened = alert.get();
        assertThat(opened.get("severity").getAsString()).isEqualTo("CRITICAL");
        assertThat(opened.getAsJsonObject("place").get("unitId").getAsString()).isEqualTo(UNIT);
        assertThat(opened.getAsJsonObject("place").get("gridId").getAsString()).isEqualTo(GRID);
        assertThat(opened.get("summary").getAsString()).contains("140 bpm");
        String alertId = opened.get("alertId").getAsString();

        Set<String> gridWorkers = new HashSet<>();
        system.get("registry", "/api/v1/workers?areaId=" + GRID).getAsJsonArray()
                .forEach(w -> gridWorkers.add(w.getAsJsonObject().get("id").getAsString()));
        AtomicReference<JsonObject> task = new AtomicReference<>();
        await("a task for alert " + alertId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var tasks = system.get("grid-dispatch", "/api/v1/tasks?alertId=" + alertId).getAsJsonArray();
                    if (tasks.isEmpty() || !tasks.get(0).getAsJsonObject().get("state").getAsString().equals("ASSIGNED")) {
                        return false;
                    }
                    task.set(tasks.get(0).getAsJsonObject());
                    return true;
                });
        assertThat(gridWorkers).contains(task.get().get("workerId").getAsString());
        assertThat(task.get().get("assignmentReason").getAsString()).contains("on duty with skill welfare-visit in grid " + GRID);
        String taskId = task.get().get("taskId").getAsString();
        await("the alert linked to its task").atMost(Duration.ofSeconds(30)).until(() -> {
            JsonElement linked = system.get("alert-routing", "/api/v1/alerts/" + alertId).getAsJsonObject().get("taskId");
            return linked != null && !linked.isJsonNull() && linked.getAsString().equals(taskId);
        });

        // The worker goes round the loop on their phone; someone else verifies; the alert resolves.
        String worker = task.get().get("workerId").getAsString();
        for (String step : List.of("accept", "arrive", "resolve")) {
            var done = system.postAs(Tokens.person(worker), "grid-dispatch",
                    "/api/v1/me/tasks/" + taskId + "/" + step, "{\"note\": \"resident was exercising; fine now\"}");
            assertThat(done.statusCode()).as(step + ": " + done.body()).isEqualTo(200);
        }
        var verified = system.postAs(Tokens.testPerson("test-supervisor-" + run, "supervisor", "lf-c1"), "grid-dispatch",
                "/api/v1/tasks/" + taskId + "/verify", "{\"note\": \"visited, resident well\"}");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        await("the alert resolved by its closed task").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject resolved = system.get("alert-routing", "/api/v1/alerts/" + alertId).getAsJsonObject();
            assertThat(resolved.get("state").getAsString()).isEqualTo("RESOLVED");
            assertThat(resolved.get("resolvedBy").getAsString()).isEqualTo("test-supervisor-" + run);
            assertThat(resolved.get("resolutionNote").getAsString()).contains(taskId).contains("visited, resident well");
        });

        await("the readings through the telemetry API").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> stored = new HashSet<>();
            system.get("telemetry", "/api/v1/devices/" + MATTRESS + "/readings?from=" + start + "&to="
                    + start.plusSeconds(76)).getAsJsonArray()
                    .forEach(r -> stored.add(r.getAsJsonObject().get("eventId").getAsString()));
            assertThat(stored).containsAll(eventIds);
        });
        await("the alert event and task event in the database").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM telemetry.alert_event WHERE alert_id = ? AND type = 'TYPE_OPENED'",
                    alertId)).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM telemetry.task_event WHERE task_id = ? AND type = 'TYPE_CLOSED'",
                    taskId)).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM telemetry.task_event WHERE task_id = ? AND type = 'TYPE_ASSIGNED'",
                    taskId)).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM telemetry.detection WHERE subject_id = ? AND phase = 'RAISED'",
                    MATTRESS)).isGreaterThanOrEqualTo(1);
        });
    }

    private static long count(String sql, String parameter) throws Exception {
        try (Connection connection = system.database(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
