package org.gridwatch.dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.gridwatch.dispatch.api.DispatchApi.json;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The figures a community supervisor reads, against the real PostgreSQL and the registry topic:
 * tasks worked through the API, one of them late, and what the figures say about each grid.
 */
@QuarkusTest
class FiguresTest extends DispatchTest {

    @Test
    void figuresGiveOnTimeRatesStageTimesAndOpenAndOverdueCountsPerGrid() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String inG1 = area.worker("a", area.g1);
        String inG2 = area.worker("b", area.g2);
        area.publish(bootstrap, registry);
        String kind = "test.figures-" + area.id;
        json(api.console("PUT", "/api/v1/deadlines/" + kind, "admin", """
                {"priority": 1, "kindPattern": "%s", "minSeverity": 1, "acceptSeconds": 600, "arriveSeconds": 2,
                 "resolveSeconds": 600, "verifySeconds": 600}""".formatted(kind)), 200);
        String onTime = report(api, area.unit, kind);
        String late = report(api, area.unit, kind);
        String waiting = report(api, area.g2, kind);

        // In g1, one task goes round the loop at once; the other is accepted and reached 2.6 s later, past its 2 s.
        for (String action : new String[] {"accept", "arrive"}) {
            json(api.worker("POST", "/api/v1/me/tasks/" + onTime + "/" + action, inG1, "{}"), 200);
        }
        json(api.worker("POST", "/api/v1/me/tasks/" + onTime + "/resolve", inG1, "{\"note\": \"door rehung\"}"), 200);
        json(api.console("POST", "/api/v1/tasks/" + onTime + "/verify", area.supervisor, "{}"), 200);
        json(api.worker("POST", "/api/v1/me/tasks/" + late + "/accept", inG1, "{}"), 200);
        clock.advance(Duration.ofMillis(2_600));
        deadlines.runDue();
        assertThat(grid(figures(api, area.community), area.g1).get("overdue").asLong())
                .as("the late task on the overdue count").isEqualTo(1);
        json(api.worker("POST", "/api/v1/me/tasks/" + late + "/arrive", inG1, "{}"), 200);

        JsonNode figures = figures(api, area.community);
        assertThat(figures.get("by").asText()).as("a community's figures are by grid").isEqualTo("grid");
        JsonNode g1 = grid(figures, area.g1);
        assertThat(g1.get("open").asLong()).as("the late task, on site").isEqualTo(1);
        assertThat(g1.get("overdue").asLong()).as("no longer overdue once on site").isZero();
        assertThat(g1.at("/stages/accept/ended").asLong()).isEqualTo(2);
        assertThat(g1.at("/stages/accept/onTimeRate").asDouble()).isEqualTo(1.0);
        assertThat(g1.at("/stages/arrive/ended").asLong()).isEqualTo(2);
        assertThat(g1.at("/stages/arrive/onTimeRate").asDouble()).isEqualTo(0.5);
        double arriveMean = g1.at("/stages/arrive/meanSeconds").asDouble();
        double arriveP90 = g1.at("/stages/arrive/p90Seconds").asDouble();
        assertThat(arriveMean).as("mean of about 0 s and 2.6 s").isCloseTo(1.3, within(0.5));
        assertThat(arriveP90).as("p90 of about 0 s and 2.6 s").isCloseTo(2.35, within(0.5));
        assertThat(g1.at("/stages/close/ended").asLong()).isEqualTo(1);
        assertThat(g1.at("/stages/close/onTimeRate").asDouble()).isEqualTo(1.0);
        assertThat(g1.at("/stages/verify/ended").asLong()).isEqualTo(1);
        JsonNode g2 = grid(figures, area.g2);
        assertThat(g2.get("open").asLong()).as(waiting + " waits for " + inG2).isEqualTo(1);
        assertThat(g2.at("/stages/accept/ended").asLong()).isZero();
        assertThat(g2.at("/stages/accept/onTimeRate").isNull()).isTrue();

        // A supervisor of grid 1 reads the figures of their grid, not of the community above it.
        String grid1Supervisor = org.gridwatch.testsupport.Tokens.testPerson("test-sup-g1-figures", "supervisor", area.g1);
        assertThat(api.send("GET", "/api/v1/figures?areaId=" + area.g1, grid1Supervisor, null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "/api/v1/figures?areaId=" + area.community, grid1Supervisor, null).statusCode())
                .isEqualTo(403);

        JsonNode street = figures(api, area.street);
        assertThat(street.get("by").asText()).isEqualTo("community");
        assertThat(street.get("areas")).hasSize(1);
        assertThat(street.at("/areas/0/open").asLong()).isEqualTo(2);
        assertThat(street.at("/areas/0/stages/arrive/onTimeRate").asDouble()).isEqualTo(0.5);
    }

    @Test
    void badFigureRequestsAreRefusedWithTheReason() throws Exception {
        assertThat(json(api.console("GET", "/api/v1/figures?by=building", "sup", null), 400).get("detail").asText())
                .contains("grid, community, street, district");
        assertThat(json(api.console("GET", "/api/v1/figures?from=yesterday", "sup", null), 400).get("detail").asText())
                .contains("instant");
        assertThat(json(api.console("GET", "/api/v1/figures?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "sup",
                null), 400).get("detail").asText()).contains("from must be before to");
        assertThat(json(api.console("GET", "/api/v1/figures?areaId=nowhere", "sup", null), 400).get("detail").asText())
                .contains("No area 'nowhere'");
    }

    private static String report(DispatchApi api, String areaId, String kind) throws Exception {
        return json(api.console("POST", "/api/v1/tasks", "patrol-3", """
                {"channel": "patrol", "kind": "%s", "severity": "WARNING", "areaId": "%s",
                 "summary": "fire door propped open", "reportedBy": "patrol 3"}""".formatted(kind, areaId)), 201)
                .get("taskId").asText();
    }

    private static JsonNode figures(DispatchApi api, String areaId) throws Exception {
        return json(api.console("GET", "/api/v1/figures?areaId=" + areaId, "sup", null), 200);
    }

    private static JsonNode grid(JsonNode figures, String gridId) {
        for (JsonNode area : figures.get("areas")) {
            if (area.get("areaId").asText().equals(gridId)) {
                return area;
            }
        }
        throw new AssertionError("No figures for " + gridId + " in " + figures);
    }
}
