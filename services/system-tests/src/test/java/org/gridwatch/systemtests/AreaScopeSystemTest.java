package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

/**
 * The demo community's people, with the tokens the local provider gives them, read what lies in
 * their area and nothing else: a device's readings, an area's figures, alerts and tasks.
 */
class AreaScopeSystemTest extends SystemTest {

    /** A mattress in grid 1 (building b1) of community lf-c1. */
    private static final String GRID_1_DEVICE = "mat-b1-101";

    private final HttpClient http = HttpClient.newHttpClient();

    private int status(String service, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(system.service(service).baseUrl() + path))
                .header("Authorization", Tokens.bearer(token)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void peopleReadTheirOwnAreaOnly() throws Exception {
        String communityOperator = Tokens.person("op-lf-c1");
        String grid2Supervisor = Tokens.testPerson("test-sup-g2", "supervisor", "lf-c1-g2");

        assertThat(status("telemetry", "/api/v1/devices/" + GRID_1_DEVICE + "/readings", communityOperator)).isEqualTo(200);
        assertThat(status("telemetry", "/api/v1/devices/" + GRID_1_DEVICE + "/readings", grid2Supervisor)).isEqualTo(403);
        assertThat(status("telemetry", "/api/v1/latest?deviceId=" + GRID_1_DEVICE, grid2Supervisor)).isEqualTo(403);
        // Allowed: 200, or 503 in the first seconds after start, before the aggregates' first refresh.
        assertThat(status("telemetry", "/api/v1/aggregates/alerts?areaId=lf-c1-g2", grid2Supervisor)).isIn(200, 503);
        assertThat(status("telemetry", "/api/v1/aggregates/alerts?areaId=linfen-road", communityOperator))
                .as("the street above the community").isEqualTo(403);

        assertThat(status("alert-routing", "/api/v1/alerts?areaId=lf-c1-g1", communityOperator)).isEqualTo(200);
        assertThat(status("alert-routing", "/api/v1/alerts?areaId=lf-c1-g1", grid2Supervisor)).isEqualTo(403);
        assertThat(status("grid-dispatch", "/api/v1/tasks?areaId=lf-c1-g1", grid2Supervisor)).isEqualTo(403);
        assertThat(status("grid-dispatch", "/api/v1/tasks?areaId=lf-c1-g2", grid2Supervisor)).isEqualTo(200);
        // The street's operator sees the community below it.
        assertThat(status("alert-routing", "/api/v1/alerts?areaId=lf-c1", Tokens.person("op-linfen"))).isEqualTo(200);
    }
}
