package org.gridwatch.console.alert;

import static org.gridwatch.console.api.Fields.text;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Refused;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Times;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one alert's page from the services with the person's token: the alert and its history
 * and evidence (alert-routing), the device, rule, place and residents (registry), the readings
 * around it (telemetry's series), its task (grid-dispatch). A part that cannot be read is left out
 * and named; the alert itself must be readable (404, 403 as the service says).
 */
@RequestScoped
public class AlertReader {

    /** How much of the device's readings the chart shows on either side of the alert's opening. */
    static final Duration CHART_WINDOW = Duration.ofMinutes(15);
    private static final List<String> LEVELS = List.of("districtId", "streetId", "communityId", "gridId", "buildingId",
            "unitId");

    @Inject
    GridWatchApi api;

    @Inject
    ObjectMapper json;

    public AlertDetail read(String alertId) {
        JsonNode alert = api.get(Service.ALERT_ROUTING, "/api/v1/alerts/" + alertId);
        List<String> problems = new ArrayList<>();
        JsonNode place = alert.path("place");
        List<String> path = new ArrayList<>();
        for (String level : LEVELS) {
            String id = text(place, level);
            if (id != null) {
                JsonNode area = api.getOrNote(problems, Service.REGISTRY, "/api/v1/areas/" + id);
                path.add(area == null ? id : area.path("name").asText(id));
            }
        }
        String unitId = text(place, "unitId");
        List<AlertDetail.Resident> residents = new ArrayList<>();
        if (unitId != null) {
            JsonNode found = api.getOrNote(problems, Service.REGISTRY, "/api/v1/residents?areaId=" + unitId);
            if (found != null) {
                found.forEach(r -> residents.add(new AlertDetail.Resident(r.path("id").asText(),
                        r.path("displayName").asText(""), strings(r.path("flags")))));
            }
        }
        String deviceId = text(alert, "deviceId");
        JsonNode device = deviceId == null ? null
                : api.getOrNote(problems, Service.REGISTRY, "/api/v1/devices/" + deviceId);
        JsonNode evidenceJson = api.getOrNote(problems, Service.ALERT_ROUTING,
                "/api/v1/alerts/" + alertId + "/evidence");
        AlertDetail.Evidence evidence = evidence(evidenceJson);
        Instant opened = Instant.parse(alert.path("openedAt").asText());
        String chart = deviceId == null ? null : chart(problems, deviceId, metric(problems, evidenceJson), opened, evidence);

        List<AlertDetail.HistoryRow> history = new ArrayList<>();
        JsonNode events = api.getOrNote(problems, Service.ALERT_ROUTING, "/api/v1/alerts/" + alertId + "/history");
        if (events != null) {
            events.forEach(e -> history.add(new AlertDetail.HistoryRow(Times.whole(e.path("occurredAt").asText()),
                    e.path("type").asText(), e.path("actor").asText(""), text(e, "note"))));
        }
        AlertDetail.Task task = null;
        List<AlertDetail.Worker> workers = new ArrayList<>();
        String taskId = text(alert, "taskId");
        if (taskId != null) {
            JsonNode t = api.getOrNote(problems, Service.GRID_DISPATCH, "/api/v1/tasks/" + taskId);
            if (t != null) {
                task = new AlertDetail.Task(taskId, t.path("state").asText(), text(t, "workerId"),
                        text(t, "dueAt") == null ? null : Times.whole(t.path("dueAt").asText()), text(t, "overdueSince") != null);
            }
            String gridId = text(place, "gridId");
            if (gridId != null) {
                JsonNode found = api.getOrNote(problems, Service.REGISTRY, "/api/v1/workers?areaId=" + gridId);
                if (found != null) {
                    found.forEach(w -> workers.add(new AlertDetail.Worker(w.path("id").asText(), w.path("name").asText())));
                }
            }
        }
        return new AlertDetail(alertId, alert.path("severity").asText(), alert.path("state").asText(),
                alert.path("kind").asText(), alert.path("summary").asText(), deviceId,
                device == null ? null : text(device, "sensorType"), Times.whole(opened.toString()),
                text(alert, "acknowledgedBy"), text(alert, "assignee"), text(alert, "resolvedBy"),
                text(alert, "resolutionNote"), path, unitId, text(place, "gridId"), residents, evidence, chart, history,
                task, workers, problems);
    }

    /** The field the rule watches: the chart's metric. */
    private String metric(List<String> problems, JsonNode evidence) {
        if (evidence == null || text(evidence, "ruleId") == null) {
            return null;
        }
        JsonNode rule = api.getOrNote(problems, Service.REGISTRY, "/api/v1/rules/" + evidence.path("ruleId").asText());
        if (rule != null) {
            for (String path : List.of("/threshold/field", "/confirmed/primary/field", "/noActivity/field",
                    "/pattern/field")) {
                String field = rule.at(path).asText("");
                if (!field.isBlank()) {
                    return field;
                }
            }
        }
        JsonNode values = evidence.path("readings").path(0).path("values");
        return values.fieldNames().hasNext() ? values.fieldNames().next() : null;
    }

    /**
     * The chart's data as the page's script takes it: the device's readings of the metric from a
     * quarter of an hour before the alert to a quarter after (or now), and the thresholds to draw.
     */
    private String chart(List<String> problems, String deviceId, String metric, Instant opened,
                         AlertDetail.Evidence evidence) {
        if (metric == null) {
            return null;
        }
        Instant from = opened.minus(CHART_WINDOW);
        Instant now = Instant.now();
        Instant to = opened.plus(CHART_WINDOW).isAfter(now) ? now : opened.plus(CHART_WINDOW);
        JsonNode series = api.getOrNote(problems, Service.TELEMETRY, "/api/v1/devices/" + deviceId
                + "/series?metric=" + metric + "&from=" + from + "&to=" + to + "&points=500");
        if (series == null) {
            return null;
        }
        ObjectNode chart = json.createObjectNode();
        chart.put("metric", metric).put("openedAt", opened.toString());
        var points = chart.putArray("points");
        series.path("points").forEach(p -> points.addArray().add(p.path("t").asText()).add(p.path("v").asDouble()));
        var lines = chart.putArray("thresholds");
        for (String threshold : evidence.thresholds()) {
            String[] parts = threshold.split(" = ");
            if (parts[0].endsWith(".atOrAbove") || parts[0].endsWith(".atOrBelow")) {
                lines.addObject().put("name", parts[0]).put("value", Double.parseDouble(parts[1]));
            }
        }
        // The page carries it in a script element: no "</" may end that element early.
        return chart.toString().replace("</", "<\\/");
    }

    private static AlertDetail.Evidence evidence(JsonNode evidence) {
        if (evidence == null || text(evidence, "ruleId") == null) {
            return null;
        }
        List<String> thresholds = new ArrayList<>();
        evidence.path("thresholds").fields().forEachRemaining((Map.Entry<String, JsonNode> t) ->
                thresholds.add(t.getKey() + " = " + t.getValue().asDouble()));
        thresholds.sort(String::compareTo);
        return new AlertDetail.Evidence(evidence.path("ruleId").asText(), evidence.path("ruleVersion").asInt(),
                thresholds, evidence.path("readings").size());
    }


    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

}
