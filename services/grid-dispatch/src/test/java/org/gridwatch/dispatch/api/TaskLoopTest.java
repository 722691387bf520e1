package org.gridwatch.dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridwatch.dispatch.api.DispatchApi.json;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The task loop as workers and supervisors live it, against the real Kafka broker (alert events
 * and the registry come in through their topics) and PostgreSQL, through the HTTP API.
 */
@QuarkusTest
class TaskLoopTest extends DispatchTest {

    /** Waits for the alert's task to exist and returns it. */
    private JsonNode taskOfAlert(String alertId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode tasks = json(api.console("GET", "/api/v1/tasks?alertId=" + alertId, "op", null), 200);
            if (tasks.size() == 1) {
                return tasks.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No task for alert " + alertId + " after 30 s");
    }

    private List<String> historyTypes(String taskId) throws Exception {
        List<String> types = new ArrayList<>();
        json(api.console("GET", "/api/v1/tasks/" + taskId + "/history", "op", null), 200)
                .forEach(step -> types.add(step.get("type").asText()));
        return types;
    }

    private JsonNode report(DispatchApi.Area2 area, String kind) throws Exception {
        return json(api.console("POST", "/api/v1/tasks", "hotline-desk-7", """
                {"channel": "hotline", "kind": "%s", "severity": "WARNING", "areaId": "%s",
                 "summary": "resident reports a smell of burning on the stairs", "reportedBy": "caller 1234"}"""
                .formatted(kind, area.unit)), 201);
    }

    @Test
    void anAlertBecomesATaskForTheSkilledWorkerWhoAcceptsArrivesResolvesAndASupervisorVerifies() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String fireOnly = area.worker("fire-only", area.g1, "fire");
        String carer = area.worker("carer", area.g1, "welfare-visit");
        area.publish(bootstrap, registry);
        AlertEvent alert = opened(area, "vital-signs.apnea");

        publishAlertEvent(alert);
        JsonNode task = taskOfAlert(alert.getAlertId());

        assertThat(task.get("state").asText()).isEqualTo("ASSIGNED");
        assertThat(task.get("workerId").asText()).as("the worker with the welfare-visit skill, not " + fireOnly)
                .isEqualTo(carer);
        assertThat(task.get("assignmentReason").asText()).contains("with skill welfare-visit in grid " + area.g1);
        assertThat(task.get("dueAt").asText()).as("accept deadline of the vital-signs row, 120 s").isNotEmpty();
        String id = task.get("taskId").asText();
        String base = "/api/v1/me/tasks/" + id + "/";

        json(api.worker("POST", base + "accept", carer, "{\"requestId\": \"r1\"}"), 200);
        json(api.worker("POST", base + "arrive", carer,
                "{\"requestId\": \"r2\", \"latitude\": 31.2791, \"longitude\": 121.4531}"), 200);
        String photo = java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8,
                (byte) 0xFF, (byte) 0xE0, 1, 2, 3});
        JsonNode resolved = json(api.worker("POST", base + "resolve", carer, """
                {"requestId": "r3", "note": "resident had fallen asleep on the sofa, mattress unplugged; plugged in",
                 "photo": "%s", "photoType": "image/jpeg"}""".formatted(photo)), 200);
        assertThat(resolved.at("/task/state").asText()).isEqualTo("RESOLVED");
        assertThat(resolved.at("/task/resolvedBy").asText()).isEqualTo(carer);

        JsonNode closed = json(api.console("POST", "/api/v1/tasks/" + id + "/verify", area.supervisor,
                "{\"note\": \"checked on site\"}"), 200);

        assertThat(closed.at("/task/state").asText()).isEqualTo("CLOSED");
        assertThat(closed.at("/task/verifiedBy").asText()).isEqualTo(area.supervisor);
        assertThat(closed.get("events")).extracting(JsonNode::asText).containsExactly("VERIFIED", "CLOSED");
        assertThat(historyTypes(id)).containsExactly("CREATED", "ASSIGNED", "ACCEPTED", "ARRIVED", "RESOLVED",
                "VERIFIED", "CLOSED");
        JsonNode history = json(api.console("GET", "/api/v1/tasks/" + id + "/history", "op", null), 200);
        assertThat(history.get(3).get("latitude").asDouble()).as("where the worker arrived").isEqualTo(31.2791);
        HttpResponse<byte[]> image = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(root.resolve("/api/v1/tasks/" + id + "/photo"))
                .header("Authorization", Tokens.bearer(Tokens.testPerson("test-sup", DispatchApi.CONSOLE_ROLES, null))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(image.body()).hasSize(7);
    }

    @Test
    void aDeclinedTaskGoesToTheNextBestWorkerThenTheNeighbouringGridThenWaitsWithTheReason() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String first = area.worker("a", area.g1, "fire");
        String second = area.worker("b", area.g1, "fire");
        String neighbour = area.worker("n", area.g2, "fire");
        area.publish(bootstrap, registry);
        // b has a task in hand already, so a is chosen first.
        report(area, "hotline.smell-of-burning");
        JsonNode busy = json(api.console("GET", "/api/v1/tasks?areaId=" + area.community, "op", null), 200).get(0);
        if (!busy.get("workerId").asText().equals(second)) {
            json(api.console("POST", "/api/v1/tasks/" + busy.get("taskId").asText() + "/assign", "dispatcher-1",
                    "{\"workerId\": \"" + second + "\", \"note\": \"b knows the building\"}"), 200);
        }

        JsonNode task = report(area, "fire.smoke");
        String id = task.get("taskId").asText();
        assertThat(task.get("workerId").asText()).isEqualTo(first);

        JsonNode afterFirst = json(api.worker("POST", "/api/v1/me/tasks/" + id + "/decline", first,
                "{\"note\": \"at another emergency\"}"), 200);
        assertThat(afterFirst.at("/task/workerId").asText()).isEqualTo(second);
        JsonNode afterSecond = json(api.worker("POST", "/api/v1/me/tasks/" + id + "/decline", second,
                "{\"note\": \"off sick\"}"), 200);
        assertThat(afterSecond.at("/task/workerId").asText()).isEqualTo(neighbour);
        assertThat(afterSecond.at("/task/assignmentReason").asText()).contains("neighbouring grid " + area.g2);
        JsonNode afterNeighbour = json(api.worker("POST", "/api/v1/me/tasks/" + id + "/decline", neighbour,
                "{\"note\": \"too far\"}"), 200);

        assertThat(afterNeighbour.at("/task/state").asText()).isEqualTo("CREATED");
        assertThat(afterNeighbour.at("/task/workerId").isNull()).isTrue();
        assertThat(afterNeighbour.at("/task/assignmentReason").asText()).isEqualTo("nobody on duty with skill fire in grid "
                + area.g1 + " or its neighbours (declined or timed out: " + String.join(", ",
                List.of(first, second, neighbour).stream().sorted().toList()) + ")");
        assertThat(historyTypes(id)).containsExactly("CREATED", "ASSIGNED", "DECLINED", "ASSIGNED", "DECLINED",
                "ASSIGNED", "DECLINED");
    }

    @Test
    void aMissedAcceptDeadlineTimesOutReassignsAndEscalatesToTheCommunitySupervisorOnceOnTime() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String slow = area.worker("slow", area.g1);
        area.publish(bootstrap, registry);
        String kind = "test.accept-" + area.id;
        json(api.console("PUT", "/api/v1/deadlines/" + kind, "admin", """
                {"priority": 1, "kindPattern": "%s", "minSeverity": 1, "acceptSeconds": 3, "arriveSeconds": 600,
                 "resolveSeconds": 3600, "verifySeconds": 3600}""".formatted(kind)), 200);

        JsonNode task = report(area, kind);
        String id = task.get("taskId").asText();
        assertThat(task.get("workerId").asText()).isEqualTo(slow);

        Instant acceptBy = Instant.parse(task.get("dueAt").asText());
        clock.advanceTo(acceptBy.minusMillis(300));
        deadlines.runDue();
        assertThat(historyTypes(id)).as("not a moment early").containsExactly("CREATED", "ASSIGNED");
        clock.advanceTo(acceptBy.plusMillis(1));
        deadlines.runDue();

        JsonNode escalated = json(api.console("GET", "/api/v1/tasks/" + id, "op", null), 200);
        assertThat(escalated.get("escalationLevel").asText()).isEqualTo("COMMUNITY");
        assertThat(escalated.get("escalatedTo").asText()).isEqualTo(area.supervisor);
        assertThat(escalated.get("state").asText()).as("the only worker timed out: nobody left").isEqualTo("CREATED");
        assertThat(historyTypes(id)).containsExactly("CREATED", "ASSIGNED", "TIMED_OUT", "ESCALATED");
        JsonNode overdue = json(api.console("GET", "/api/v1/tasks/overdue?areaId=" + area.community, "op", null), 200);
        assertThat(overdue).extracting(t -> t.get("taskId").asText()).containsExactly(id);
        // Once: the supervisor has the stage's 3 s again before the street dispatcher hears of it.
        Instant supervisorBy = Instant.parse(escalated.get("dueAt").asText());
        clock.advanceTo(supervisorBy.minusMillis(300));
        deadlines.runDue();
        assertThat(historyTypes(id).stream().filter("ESCALATED"::equals).count()).as("a second escalation too soon")
                .isEqualTo(1);
        clock.advanceTo(supervisorBy.plusMillis(1));
        deadlines.runDue();
        JsonNode street = json(api.console("GET", "/api/v1/tasks/" + id, "op", null), 200);
        assertThat(street.get("escalationLevel").asText()).isEqualTo("STREET");
        assertThat(street.get("escalatedTo").asText()).isEqualTo(area.dispatcher);
    }

    @Test
    void pastTheDistrictAMissedDeadlineStillReassignsButEscalatesNoFurther() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        List<String> workers = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            workers.add(area.worker("w" + i, area.g1));
        }
        area.publish(bootstrap, registry);
        String kind = "test.top-" + area.id;
        json(api.console("PUT", "/api/v1/deadlines/" + kind, "admin", """
                {"priority": 1, "kindPattern": "%s", "minSeverity": 1, "acceptSeconds": 1, "arriveSeconds": 600,
                 "resolveSeconds": 3600, "verifySeconds": 3600}""".formatted(kind)), 200);

        String id = report(area, kind).get("taskId").asText();

        // Five workers let the accept time pass one after another: community, street, district, then nothing more.
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(1_100));
            deadlines.runDue();
        }
        JsonNode task = json(api.console("GET", "/api/v1/tasks/" + id, "op", null), 200);
        assertThat(historyTypes(id).stream().filter("TIMED_OUT"::equals).count()).isEqualTo(5);
        assertThat(historyTypes(id).stream().filter("ESCALATED"::equals).count()).isEqualTo(3);
        assertThat(task.get("escalationLevel").asText()).isEqualTo("DISTRICT");
        assertThat(task.get("escalations").asInt()).isEqualTo(3);
        assertThat(task.get("state").asText()).as("everyone timed out").isEqualTo("CREATED");
        assertThat(task.get("dueAt").isNull()).as("nothing left to escalate to").isTrue();
        assertThat(task.get("overdueSince").isNull()).isFalse();
    }

    @Test
    void aFailedVerificationReopensTheTaskToTheSameWorkerWithTheReason() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String worker = area.worker("w", area.g1);
        area.publish(bootstrap, registry);
        String id = report(area, "patrol.blocked-fire-exit").get("taskId").asText();
        String base = "/api/v1/me/tasks/" + id + "/";
        json(api.worker("POST", base + "accept", worker, "{}"), 200);
        json(api.worker("POST", base + "arrive", worker, "{}"), 200);
        json(api.worker("POST", base + "resolve", worker, "{\"note\": \"bikes moved out of the stairwell\"}"), 200);

        JsonNode reopened = json(api.console("POST", "/api/v1/tasks/" + id + "/fail-verification", area.supervisor,
                "{\"note\": \"two bikes still block the second floor exit\"}"), 200);

        assertThat(reopened.at("/task/state").asText()).isEqualTo("ACCEPTED");
        assertThat(reopened.at("/task/workerId").asText()).isEqualTo(worker);
        assertThat(reopened.at("/task/reason").asText()).isEqualTo("two bikes still block the second floor exit");
        assertThat(json(api.worker("GET", "/api/v1/me/tasks?state=ACCEPTED", worker, null), 200))
                .extracting(t -> t.get("taskId").asText()).containsExactly(id);
    }

    @Test
    void theResolverCannotVerifyAndAWorkerCannotSeeOrChangeAnotherWorkersTask() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String mine = area.worker("mine", area.g1);
        String other = area.worker("other", area.g2);
        area.publish(bootstrap, registry);
        String id = report(area, "resident.broken-door-lock").get("taskId").asText();
        String base = "/api/v1/me/tasks/" + id + "/";
        assertThat(json(api.console("GET", "/api/v1/tasks/" + id, "op", null), 200).get("workerId").asText())
                .isEqualTo(mine);

        assertThat(api.worker("GET", "/api/v1/me/tasks/" + id, other, null).statusCode()).isEqualTo(403);
        assertThat(api.worker("POST", base + "accept", other, "{}").statusCode()).isEqualTo(403);
        assertThat(json(api.worker("GET", "/api/v1/me/tasks", other, null), 200)).isEmpty();
        assertThat(api.worker("POST", base + "arrive", mine, "{}").statusCode())
                .as("arriving before accepting").isEqualTo(409);
        assertThat(api.worker("GET", "/api/v1/me/tasks", null, null).statusCode()).as("no identity").isEqualTo(401);
        json(api.worker("POST", base + "accept", mine, "{}"), 200);
        json(api.worker("POST", base + "arrive", mine, "{}"), 200);
        assertThat(api.worker("POST", base + "resolve", mine, "{}").statusCode()).as("without a note").isEqualTo(400);
        assertThat(api.worker("POST", base + "resolve", mine,
                "{\"note\": \"fixed\", \"photo\": \"aGVsbG8=\", \"photoType\": \"image/jpeg\"}").statusCode())
                .as("a photo that is not a JPEG").isEqualTo(400);
        json(api.worker("POST", base + "resolve", mine, "{\"note\": \"lock replaced\"}"), 200);

        HttpResponse<String> self = api.console("POST", "/api/v1/tasks/" + id + "/verify", mine, "{}");

        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(self.body()).contains("someone else must verify it");
        assertThat(json(api.console("GET", "/api/v1/tasks/" + id, "op", null), 200).get("state").asText())
                .isEqualTo("RESOLVED");
        assertThat(historyTypes(id)).doesNotContain("VERIFIED");
    }

    @Test
    void aRetriedAcceptOrResolveWithTheSameRequestIdChangesNothingTheSecondTime() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String worker = area.worker("w", area.g1);
        area.publish(bootstrap, registry);
        String id = report(area, "hotline.water-leak").get("taskId").asText();
        String base = "/api/v1/me/tasks/" + id + "/";

        JsonNode accepted = json(api.worker("POST", base + "accept", worker, "{\"requestId\": \"phone-1\"}"), 200);
        JsonNode again = json(api.worker("POST", base + "accept", worker, "{\"requestId\": \"phone-1\"}"), 200);
        json(api.worker("POST", base + "arrive", worker, "{\"requestId\": \"phone-2\"}"), 200);
        String resolve = "{\"requestId\": \"phone-3\", \"note\": \"valve closed\"}";
        json(api.worker("POST", base + "resolve", worker, resolve), 200);
        JsonNode resolvedAgain = json(api.worker("POST", base + "resolve", worker, resolve), 200);

        assertThat(accepted.get("replayed").asBoolean()).isFalse();
        assertThat(again.get("replayed").asBoolean()).isTrue();
        assertThat(again.get("events")).isEmpty();
        assertThat(resolvedAgain.get("replayed").asBoolean()).isTrue();
        assertThat(resolvedAgain.at("/task/state").asText()).isEqualTo("RESOLVED");
        assertThat(historyTypes(id)).containsExactly("CREATED", "ASSIGNED", "ACCEPTED", "ARRIVED", "RESOLVED");
        assertThat(api.worker("POST", base + "accept", worker, "{\"requestId\": \"phone-9\"}").statusCode())
                .as("a new request to accept a resolved task is refused").isEqualTo(409);
    }

    @Test
    void aHotlineReportBecomesATaskThatKeepsItsChannelAndFollowsTheSameLoop() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String worker = area.worker("w", area.g1, "fire");
        area.publish(bootstrap, registry);

        JsonNode task = report(area, "fire.smell-of-burning");

        assertThat(task.get("channel").asText()).isEqualTo("hotline");
        assertThat(task.get("reportedBy").asText()).isEqualTo("caller 1234");
        assertThat(task.get("skill").asText()).as("the fire.* deadline row").isEqualTo("fire");
        assertThat(task.at("/place/gridId").asText()).isEqualTo(area.g1);
        assertThat(task.get("latitude").asDouble()).as("the building's position").isEqualTo(31.2790);
        String id = task.get("taskId").asText();
        String base = "/api/v1/me/tasks/" + id + "/";
        json(api.worker("POST", base + "accept", worker, "{}"), 200);
        json(api.worker("POST", base + "arrive", worker, "{}"), 200);
        json(api.worker("POST", base + "resolve", worker, "{\"note\": \"burnt pan, no fire\"}"), 200);
        assertThat(json(api.console("POST", "/api/v1/tasks/" + id + "/verify", area.supervisor, "{}"), 200)
                .at("/task/state").asText()).isEqualTo("CLOSED");
        assertThat(api.console("POST", "/api/v1/tasks", "desk", "{\"channel\": \"fax\", \"kind\": \"x\", "
                + "\"areaId\": \"" + area.unit + "\", \"summary\": \"s\"}").statusCode()).isEqualTo(400);
        assertThat(api.console("POST", "/api/v1/tasks", "desk", "{\"channel\": \"hotline\", \"kind\": \"x\", "
                + "\"areaId\": \"nowhere\", \"summary\": \"s\"}").statusCode()).isEqualTo(400);
    }
}
