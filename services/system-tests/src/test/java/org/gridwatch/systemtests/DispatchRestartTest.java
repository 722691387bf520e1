package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.gridwatch.testsupport.Timeline;
import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A task's accept deadline is kept in the database, not in the process that set it: grid-dispatch
 * is killed a second after creating the task and started again, and a second replica starts
 * beside it; when the deadline passes, one of them escalates the task to the community
 * supervisor, on time and once.
 */
class DispatchRestartTest extends SystemTest {

    private static final Duration ACCEPT = Duration.ofSeconds(20);
    private static final String UNIT = "b2-201";
    private static final String SUPERVISOR = "sup-lf-c1";


    @Test
    void aMissedAcceptDeadlineEscalatesOnceOnTimeThoughTheServiceWasKilledAndARelicaRunsBesideIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String kind = "test.restart-" + run;
        HttpResponse<String> deadline = system.put("grid-dispatch", "/api/v1/deadlines/restart-" + run, """
                {"priority": 1, "kindPattern": "%s", "minSeverity": 1, "acceptSeconds": %d, "arriveSeconds": 600,
                 "resolveSeconds": 3600, "verifySeconds": 3600}""".formatted(kind, ACCEPT.toSeconds()));
        assertThat(deadline.statusCode()).as(deadline.body()).isEqualTo(200);
        ServiceProcess dispatch = system.service("grid-dispatch");
        List<ServiceProcess> replicas = new CopyOnWriteArrayList<>();
        try {
            Timeline timeline = Timeline.start();
            HttpResponse<String> reported = system.postAs(Tokens.testPerson("test-hotline-desk-1", "dispatcher", "linfen-road"), "grid-dispatch",
                    "/api/v1/tasks", """
                    {"channel": "hotline", "kind": "%s", "severity": "WARNING", "areaId": "%s",
                     "summary": "stairwell light out", "reportedBy": "caller 77"}""".formatted(kind, UNIT));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(201);
            String taskId = JsonParser.parseString(reported.body()).getAsJsonObject().get("taskId").getAsString();

            timeline.at(Duration.ofSeconds(1), "kill grid-dispatch and start it again, and a replica beside it", () -> {
                dispatch.kill();
                CompletableFuture<Void> replica = CompletableFuture.runAsync(() -> replicas.add(
                        system.startInstance("grid-dispatch", "replica-" + run, Map.of())));
                dispatch.start();
                dispatch.awaitReady(Duration.ofMinutes(2));
                replica.get(2, TimeUnit.MINUTES);
            });
            assertThat(timeline.now()).as("both up well before the deadline").isLessThan(ACCEPT.minusSeconds(2));

            timeline.expectBetween(ACCEPT, ACCEPT.plusMillis(2500), "the escalation to the community supervisor",
                    () -> escalations(taskId) == 1);
            JsonObject task = system.get("grid-dispatch", "/api/v1/tasks/" + taskId).getAsJsonObject();
            assertThat(task.get("escalationLevel").getAsString()).isEqualTo("COMMUNITY");
            assertThat(task.get("escalatedTo").getAsString()).isEqualTo(SUPERVISOR);
            // The next level is due a whole accept window later; until then, nothing more.
            timeline.expectNothingUntil(ACCEPT.plus(ACCEPT).minusSeconds(6), "a second escalation",
                    () -> escalations(taskId) > 1);
        } finally {
            replicas.forEach(ServiceProcess::stop);
            if (!dispatch.isReady()) {
                dispatch.start();
                dispatch.awaitReady(Duration.ofMinutes(2));
            }
        }
    }

    private static long escalations(String taskId) {
        long count = 0;
        for (var step : system.get("grid-dispatch", "/api/v1/tasks/" + taskId + "/history").getAsJsonArray()) {
            if (step.getAsJsonObject().get("type").getAsString().equals("ESCALATED")) {
                count++;
            }
        }
        return count;
    }
}
