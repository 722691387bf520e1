package org.gridwatch.console.board;

import static org.gridwatch.console.api.Fields.text;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.board.Board.AreaNode;
import org.gridwatch.console.board.Board.BoardAlert;
import org.gridwatch.console.board.Board.Counters;
import org.gridwatch.console.web.Times;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the board from the services with the person's token: alert-routing's open and
 * acknowledged alerts (already cut to their area), grid-dispatch's overdue tasks and the
 * registry's areas. A service that cannot be read leaves its part empty and is named.
 */
@RequestScoped
public class BoardReader {

    /** The most alerts one board shows: alert-routing's page size. */
    static final int MAX_ALERTS = 1000;
    private static final List<String> SEVERITIES = List.of("CRITICAL", "WARNING", "INFO");
    private static final Set<String> SHOWN_LEVELS = Set.of("DISTRICT", "STREET", "COMMUNITY", "GRID", "BUILDING");

    @Inject
    GridWatchApi api;

    public Board read() {
        List<String> problems = new ArrayList<>();
        List<JsonNode> alerts = new ArrayList<>();
        for (String state : List.of("OPEN", "ACKNOWLEDGED")) {
            JsonNode found = api.getOrNote(problems, Service.ALERT_ROUTING, "/api/v1/alerts?state=" + state + "&limit="
                    + MAX_ALERTS);
            if (found != null) {
                found.forEach(alerts::add);
            }
        }
        JsonNode overdueTasks = api.getOrNote(problems, Service.GRID_DISPATCH, "/api/v1/tasks/overdue?limit=1000");
        int overdue = overdueTasks == null ? 0 : overdueTasks.size();
        List<JsonNode> areas = new ArrayList<>();
        JsonNode registryAreas = api.getOrNote(problems, Service.REGISTRY, "/api/v1/areas");
        if (registryAreas != null) {
            registryAreas.forEach(areas::add);
        }

        ZoneId zone = zoneOf(areas);
        List<BoardAlert> rows = alerts.stream().map(alert -> row(alert, zone))
                .sorted(Comparator.comparingInt((BoardAlert a) -> severityRank(a.severity()))
                        .thenComparing(Comparator.comparingLong(BoardAlert::openedAtMillis).reversed()))
                .toList();
        return new Board(rows, counters(alerts, overdue), tree(areas, alerts), problems);
    }


    private static BoardAlert row(JsonNode alert, ZoneId zone) {
        JsonNode place = alert.path("place");
        String where = firstOf(place, "unitId", "buildingId", "gridId", "communityId", "streetId", "districtId");
        Instant opened = Instant.parse(alert.path("openedAt").asText(alert.path("firstSeen").asText()));
        return new BoardAlert(alert.path("alertId").asText(), alert.path("severity").asText(), alert.path("state").asText(),
                alert.path("kind").asText(), alert.path("summary").asText(), where, text(alert, "deviceId"),
                Times.brief(opened, zone), opened.toEpochMilli(), text(alert, "acknowledgedBy"), text(alert, "taskId"),
                alert.path("repeatCount").asInt(), text(alert, "silencedBy") != null);
    }

    private static Counters counters(List<JsonNode> alerts, int overdueTasks) {
        Map<String, Integer> bySeverity = new HashMap<>();
        int gateways = 0;
        int devices = 0;
        for (JsonNode alert : alerts) {
            bySeverity.merge(alert.path("severity").asText(), 1, Integer::sum);
            String kind = alert.path("kind").asText();
            if (kind.equals("gateway.offline")) {
                gateways++;
            } else if (kind.equals("device.offline")) {
                devices++;
            }
        }
        return new Counters(bySeverity.getOrDefault("CRITICAL", 0), bySeverity.getOrDefault("WARNING", 0),
                bySeverity.getOrDefault("INFO", 0), overdueTasks, gateways, devices);
    }

    /** The areas from the top of the person's down to buildings, each with the alerts open under it. */
    private static List<AreaNode> tree(List<JsonNode> areas, List<JsonNode> alerts) {
        Map<String, JsonNode> byId = new HashMap<>();
        Map<String, List<JsonNode>> children = new HashMap<>();
        areas.forEach(area -> byId.put(area.path("id").asText(), area));
        List<JsonNode> roots = new ArrayList<>();
        for (JsonNode area : areas) {
            String parent = area.path("parentId").asText("");
            if (byId.containsKey(parent)) {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(area);
            } else {
                roots.add(area);
            }
        }
        Map<String, int[]> counts = new HashMap<>();
        for (JsonNode alert : alerts) {
            boolean critical = alert.path("severity").asText().equals("CRITICAL");
            alert.path("place").forEach(id -> {
                int[] count = counts.computeIfAbsent(id.asText(), key -> new int[2]);
                count[0]++;
                if (critical) {
                    count[1]++;
                }
            });
        }
        List<AreaNode> nodes = new ArrayList<>();
        roots.sort(Comparator.comparing(area -> area.path("id").asText()));
        roots.forEach(root -> addNode(root, 0, children, counts, nodes));
        return nodes;
    }

    private static void addNode(JsonNode area, int depth, Map<String, List<JsonNode>> children, Map<String, int[]> counts,
                                List<AreaNode> nodes) {
        String level = area.path("level").asText();
        if (!SHOWN_LEVELS.contains(level)) {
            return;
        }
        String id = area.path("id").asText();
        int[] count = counts.getOrDefault(id, new int[2]);
        nodes.add(new AreaNode(id, area.path("name").asText(id), level, depth, count[0], count[1]));
        List<JsonNode> below = new ArrayList<>(children.getOrDefault(id, List.of()));
        below.sort(Comparator.comparing(child -> child.path("id").asText()));
        below.forEach(child -> addNode(child, depth + 1, children, counts, nodes));
    }

    /** The time zone of the person's area: the first the registry names, else the demo district's. */
    private static ZoneId zoneOf(List<JsonNode> areas) {
        return areas.stream().map(area -> area.path("timeZone").asText("")).filter(zone -> !zone.isBlank()).findFirst()
                .map(ZoneId::of).orElse(Times.DEFAULT_ZONE);
    }

    static int severityRank(String severity) {
        int rank = SEVERITIES.indexOf(severity);
        return rank < 0 ? SEVERITIES.size() : rank;
    }

    private static String firstOf(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null) {
                return value;
            }
        }
        return "";
    }

}
