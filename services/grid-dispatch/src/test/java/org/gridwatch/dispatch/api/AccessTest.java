package org.gridwatch.dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridwatch.dispatch.api.DispatchApi.json;

import java.net.http.HttpResponse;

import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Who may do what, with real tokens of the test provider: no token is 401 with the bearer
 * challenge, a role that does not allow the call is 403, both as problem JSON and counted, a task
 * outside the caller's area is neither listed nor read nor acted on, and the actor recorded on a
 * task is the token's subject whatever the body says.
 */
@QuarkusTest
class AccessTest extends DispatchTest {

    @Test
    void withoutATokenNothingIsAnsweredAndTheRefusalSaysHowToSignIn() throws Exception {
        double before = refused(401);

        HttpResponse<String> anonymous = api.send("GET", "/api/v1/tasks", null, null);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(DispatchApi.JSON.readTree(anonymous.body()).get("detail").asText()).contains("bearer token");
        HttpResponse<String> forged = api.send("GET", "/api/v1/tasks", "not-a-token", null);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(refused(401)).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    void aRoleThatDoesNotAllowTheCallIsRefusedAndNothingChanges() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String worker = area.worker("w", area.g1, "fire");
        area.publish(bootstrap, registry);
        JsonNode task = json(api.console("POST", "/api/v1/tasks", "desk", """
                {"channel": "hotline", "kind": "fire.smoke", "severity": "WARNING", "areaId": "%s",
                 "summary": "smoke on the stairs", "actor": "someone-else"}""".formatted(area.unit)), 201);
        String id = task.get("taskId").asText();
        assertThat(task.get("reportedBy").asText()).as("the token's subject, not the body's").isEqualTo("test-desk");
        double before = refused(403);

        // A worker's token on the console's API, an operator's on the phone's, an operator verifying.
        String workerToken = Tokens.testPerson(worker, "grid-worker", null);
        assertThat(api.send("GET", "/api/v1/tasks", workerToken, null).statusCode()).isEqualTo(403);
        String operator = Tokens.testPerson("test-op-access", "operator", null);
        assertThat(api.send("GET", "/api/v1/me/tasks", operator, null).statusCode()).isEqualTo(403);
        HttpResponse<String> verify = api.send("POST", "/api/v1/tasks/" + id + "/verify", operator, "{}");
        assertThat(verify.statusCode()).isEqualTo(403);
        assertThat(DispatchApi.JSON.readTree(verify.body()).get("detail").asText())
                .contains("supervisor or a dispatcher");
        // A token with no role at all.
        assertThat(api.send("GET", "/api/v1/tasks", Tokens.person("mallory"), null).statusCode()).isEqualTo(403);

        // Area scope: a dispatcher of another area neither sees nor touches the task; one of its community does.
        String outsider = Tokens.testPerson("test-disp-outside", "dispatcher", "somewhere-else");
        assertThat(api.send("GET", "/api/v1/tasks/" + id, outsider, null).statusCode()).isEqualTo(403);
        assertThat(api.send("POST", "/api/v1/tasks/" + id + "/cancel", outsider, "{\"reason\": \"not mine\"}")
                .statusCode()).isEqualTo(403);
        assertThat(json(api.send("GET", "/api/v1/tasks?limit=1000", outsider, null), 200).findValuesAsText("taskId"))
                .doesNotContain(id);
        assertThat(api.send("GET", "/api/v1/tasks?areaId=" + area.community, outsider, null).statusCode()).isEqualTo(403);
        String insider = Tokens.testPerson("test-disp-inside", "dispatcher", area.community);
        assertThat(json(api.send("GET", "/api/v1/tasks?limit=1000", insider, null), 200).findValuesAsText("taskId"))
                .contains(id);

        assertThat(refused(403)).isGreaterThanOrEqualTo(before + 7);
        assertThat(json(api.console("GET", "/api/v1/tasks/" + id + "/history", "op", null), 200))
                .extracting(step -> step.get("type").asText()).doesNotContain("VERIFIED", "CANCELLED");
    }

    private double refused(int status) throws Exception {
        String metrics = api.send("GET", "/q/metrics", null, null).body();
        return metrics.lines().filter(line -> line.startsWith("gridwatch_access_refused_total{")
                        && line.contains("status=\"" + status + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
