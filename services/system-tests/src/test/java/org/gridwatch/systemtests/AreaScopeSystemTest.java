package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.util.ArrayList;
import java.util.List;

import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The demo community's people, with the tokens the local provider gives them, read what lies in
 * their area and nothing else: a device's readings, an area's figures, alerts and tasks.
 */
class AreaScopeSystemTest extends SystemTest {

    /** A mattress in grid 1 (building b1) of community lf-c1. */
    private static final String GRID_1_DEVICE = "mat-b1-101";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    private int status(String service, String path, String token) throws Exception {
        return get(service, path, token).statusCode();
    }

    private HttpResponse<String> get(String service, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(system.service(service).baseUrl() + path))
                .header("Authorization", Tokens.bearer(token)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String service, String path, String token) throws Exception {
        HttpResponse<String> response = get(service, path, token);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> field(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.path(name).asText()));
        return values;
    }

    @Test
    void theRegistryShowsEachPersonTheirAreaAndResidentsOnlyToThoseWhoCareForThem() throws Exception {
        String grid2Supervisor = Tokens.testPerson("test-sup-g2", "supervisor", "lf-c1-g2");
        String grid2Integrator = Tokens.testPerson("test-int-g2", "integrator", "lf-c1-g2");

        // Grid 2 is buildings b3 and b4: nothing of grid 1 (b1, b2) in any list.
        assertThat(field(json("registry", "/api/v1/devices", grid2Supervisor), "areaId"))
                .isNotEmpty().allMatch(area -> area.startsWith("b3") || area.startsWith("b4"));
        assertThat(field(json("registry", "/api/v1/gateways", grid2Supervisor), "areaId"))
                .isNotEmpty().allMatch(area -> area.startsWith("b3") || area.startsWith("b4"));
        assertThat(field(json("registry", "/api/v1/areas", grid2Supervisor), "id"))
                .contains("lf-c1-g2", "b3", "b4-301").doesNotContain("lf-c1-g1", "b1", "lf-c1");
        assertThat(field(json("registry", "/api/v1/workers", grid2Supervisor), "areaId")).containsOnly("lf-c1-g2");
        assertThat(status("registry", "/api/v1/devices/" + GRID_1_DEVICE, grid2Supervisor)).isEqualTo(403);
        assertThat(status("registry", "/api/v1/devices?areaId=lf-c1-g1", grid2Supervisor)).isEqualTo(403);
        assertThat(status("registry", "/api/v1/areas/lf-c1", grid2Supervisor)).as("the community above").isEqualTo(200);
        assertThat(status("registry", "/api/v1/areas/lf-c1-g1", grid2Supervisor)).as("the grid beside").isEqualTo(403);

        // A supervisor looks after the residents: name and flags. An integrator sees only the unit.
        JsonNode cared = json("registry", "/api/v1/residents", grid2Supervisor);
        assertThat(field(cared, "unitId")).isNotEmpty().allMatch(unit -> unit.startsWith("b3") || unit.startsWith("b4"));
        assertThat(field(cared, "displayName")).allMatch(name -> !name.isBlank());
        assertThat(cared.get(0).path("flags").isArray()).isTrue();
        JsonNode seenByIntegrator = json("registry", "/api/v1/residents/res-b3-101", grid2Integrator);
        assertThat(seenByIntegrator.path("unitId").asText()).isEqualTo("b3-101");
        assertThat(seenByIntegrator.has("displayName")).isFalse();
        assertThat(seenByIntegrator.has("flags")).isFalse();
        assertThat(status("registry", "/api/v1/residents/res-b1-101", grid2Supervisor)).isEqualTo(403);
        assertThat(status("registry", "/api/v1/residents", Tokens.testPerson("test-w-g2", "grid-worker", "lf-c1-g2")))
                .as("a worker reads no registry").isEqualTo(403);
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
