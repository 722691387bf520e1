package org.gridwatch.alerting.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.inject.Inject;

import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An operator sees and handles the alerts of their own area only, the area their token names:
 * lists are cut to it, another area asked for is refused, and an alert outside it can be neither
 * read nor acknowledged, its state unchanged.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class AreaScopeTest {

    @TestHTTPResource("/api/v1")
    URI api;

    @Inject
    DetectionApplier alerts;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", Tokens.bearer(token))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{\"note\":\"on my way\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorSeesAndHandlesOnlyTheAlertsOfTheirArea() throws Exception {
        Location mine = TestApi.newPlace();
        Location theirs = TestApi.newPlace();
        AlertEvent inMine = TestApi.open(alerts, "fire.smoke", Severity.CRITICAL, mine);
        AlertEvent inTheirs = TestApi.open(alerts, "fire.smoke", Severity.CRITICAL, theirs);
        String operator = Tokens.testPerson("test-op-scope", "operator", mine.getCommunityId());

        JsonNode listed = TestApi.JSON.readTree(send("GET", "/alerts?state=OPEN&limit=1000", operator).body());
        assertThat(listed.findValuesAsText("alertId")).contains(inMine.getAlertId()).doesNotContain(inTheirs.getAlertId());
        assertThat(send("GET", "/alerts?areaId=" + mine.getGridId(), operator).statusCode())
                .as("a grid the registry does not place under the community is not taken on trust").isEqualTo(403);
        HttpResponse<String> elsewhere = send("GET", "/alerts?areaId=" + theirs.getCommunityId(), operator);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(TestApi.JSON.readTree(elsewhere.body()).get("detail").asText())
                .contains("You answer for " + mine.getCommunityId());

        assertThat(send("GET", "/alerts/" + inMine.getAlertId(), operator).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/alerts/" + inTheirs.getAlertId(), operator).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/alerts/" + inTheirs.getAlertId() + "/acknowledge", operator).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/alerts/" + inMine.getAlertId() + "/acknowledge", operator).statusCode()).isEqualTo(200);

        String admin = Tokens.bearer(Tokens.testPerson("test-admin-scope", "administrator", null)).substring(7);
        assertThat(TestApi.JSON.readTree(send("GET", "/alerts/" + inTheirs.getAlertId(), admin).body())
                .get("state").asText()).as("nothing changed outside the operator's area").isEqualTo("OPEN");
        // A console person whose token names no area sees nothing rather than everything.
        String nowhere = Tokens.testPerson("test-op-nowhere", "operator", null);
        assertThat(send("GET", "/alerts", nowhere).statusCode()).isEqualTo(403);
    }
}
