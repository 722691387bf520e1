package org.gridwatch.console.cockpit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Refused;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Language;
import org.gridwatch.console.web.Person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The data cockpit: for an area and a period, alerts by kind over time (telemetry's aggregates),
 * how fast alerts were acknowledged and closed, and each task stage's on-time rate (grid-dispatch's
 * figures), with the areas one level down side by side, as charts a supervisor reads at a glance
 * and the figures under them as a table.
 */
@Path("/cockpit")
@Produces(MediaType.TEXT_HTML)
public class CockpitPage {

    static final List<Integer> PERIODS = List.of(1, 7, 30, 90);
    static final Set<String> LEVELS = Set.of("DISTRICT", "STREET", "COMMUNITY", "GRID");
    static final List<String> STAGES = List.of("accept", "arrive", "resolve", "verify", "close");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance cockpit(String areaId, int days, List<Integer> periods, List<Choice> areas,
                                               List<String> stages, List<Row> rows, String chartJson,
                                               List<String> problems, Person person, String lang);
    }

    /** An area to choose. */
    public record Choice(String id, String name, String level) {
    }

    /**
     * One area one level down in the table: open and overdue tasks, alerts opened in the period,
     * median minutes to acknowledge and to close, on-time rate of each stage (null when none ended).
     */
    public record Row(String areaId, String name, long openTasks, long overdueTasks, int alerts,
                      Double minutesToAcknowledge, Double minutesToClose, List<String> onTime) {
    }

    @Inject
    GridWatchApi api;

    @Inject
    Person person;

    @Inject
    Language language;

    @Inject
    ObjectMapper json;

    @GET
    public TemplateInstance page(@QueryParam("areaId") String asked, @QueryParam("days") Integer askedDays) {
        List<String> problems = new ArrayList<>();
        int days = askedDays != null && PERIODS.contains(askedDays) ? askedDays : 7;
        // Up to now: what ended a moment ago counts.
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofDays(days));

        List<Choice> areas = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        JsonNode registryAreas = api.getOrNote(problems, Service.REGISTRY, "/api/v1/areas");
        if (registryAreas != null) {
            for (JsonNode area : registryAreas) {
                names.put(area.path("id").asText(), area.path("name").asText(area.path("id").asText()));
                if (LEVELS.contains(area.path("level").asText())) {
                    areas.add(new Choice(area.path("id").asText(), area.path("name").asText(), area.path("level").asText()));
                }
            }
        }
        String areaId = asked != null && !asked.isBlank() ? asked.strip()
                : person.area().filter(names::containsKey).orElse(areas.isEmpty() ? null : areas.get(0).id());
        String areaQuery = areaId == null ? "" : "areaId=" + areaId + "&";

        ObjectNode chart = json.createObjectNode();
        chart.put("from", from.toString()).put("to", to.toString());
        alertsByKind(problems, chart, areaQuery, from, to);

        JsonNode figures = api.getOrNote(problems, Service.GRID_DISPATCH, "/api/v1/figures?" + areaQuery
                + "from=" + from + "&to=" + to);
        JsonNode alerts = api.getOrNote(problems, Service.ALERT_ROUTING, "/api/v1/alerts?" + areaQuery + "limit=1000");
        List<Row> rows = rows(figures, alerts, names, from);
        ArrayNode compared = chart.putArray("areas");
        for (Row row : rows) {
            ObjectNode area = compared.addObject();
            area.put("name", row.name());
            area.put("alerts", row.alerts());
            putNullable(area, "minutesToAcknowledge", row.minutesToAcknowledge());
            putNullable(area, "minutesToClose", row.minutesToClose());
            ObjectNode onTime = area.putObject("onTime");
            for (int i = 0; i < STAGES.size(); i++) {
                String rate = row.onTime().get(i);
                if (!rate.isEmpty()) {
                    onTime.put(STAGES.get(i), Double.parseDouble(rate.replace("%", "")));
                }
            }
        }
        var stages = chart.putArray("stages");
        STAGES.forEach(stages::add);
        return Templates.cockpit(areaId, days, PERIODS, areas, STAGES, rows, chart.toString().replace("</", "<\\/"), problems, person,
                language.tag()).setLocale(language.locale());
    }

    /** Alerts opened per day and kind, from telemetry's aggregates: the stacked bars. */
    private void alertsByKind(List<String> problems, ObjectNode chart, String areaQuery, Instant from, Instant to) {
        JsonNode counts = api.getOrNote(problems, Service.TELEMETRY, "/api/v1/aggregates/alerts?" + areaQuery
                + "per=day&from=" + from + "&to=" + to);
        TreeSet<String> daysSeen = new TreeSet<>();
        Map<String, Map<String, Long>> byKind = new TreeMap<>();
        if (counts != null) {
            for (JsonNode count : counts) {
                String day = count.path("bucket").asText().substring(0, 10);
                daysSeen.add(day);
                byKind.computeIfAbsent(count.path("kind").asText(), k -> new HashMap<>())
                        .merge(day, count.path("opened").asLong(), Long::sum);
            }
        }
        ArrayNode dayList = chart.putArray("days");
        daysSeen.forEach(dayList::add);
        ArrayNode kinds = chart.putArray("kinds");
        byKind.forEach((kind, perDay) -> {
            ObjectNode series = kinds.addObject().put("kind", kind);
            ArrayNode values = series.putArray("opened");
            daysSeen.forEach(day -> values.add(perDay.getOrDefault(day, 0L)));
        });
    }

    /**
     * The areas one level down: grid-dispatch's figures for them, and from the alerts of the
     * period the median times to acknowledge and to close of those under each.
     */
    private static List<Row> rows(JsonNode figures, JsonNode alerts, Map<String, String> names, Instant from) {
        List<Row> rows = new ArrayList<>();
        if (figures == null) {
            return rows;
        }
        for (JsonNode area : figures.path("areas")) {
            String id = area.path("areaId").asText();
            List<Double> toAck = new ArrayList<>();
            List<Double> toClose = new ArrayList<>();
            int count = 0;
            if (alerts != null) {
                for (JsonNode alert : alerts) {
                    Instant opened = Instant.parse(alert.path("openedAt").asText());
                    boolean under = false;
                    for (JsonNode place : alert.path("place")) {
                        under |= place.asText().equals(id);
                    }
                    if (!under || opened.isBefore(from)) {
                        continue;
                    }
                    count++;
                    minutesBetween(opened, alert.path("acknowledgedAt")).ifPresent(toAck::add);
                    minutesBetween(opened, alert.path("resolvedAt")).ifPresent(toClose::add);
                }
            }
            List<String> onTime = new ArrayList<>();
            for (String stage : STAGES) {
                JsonNode rate = area.path("stages").path(stage).path("onTimeRate");
                onTime.add(rate.isNumber() ? Math.round(rate.asDouble() * 100) + "%" : "");
            }
            rows.add(new Row(id, names.getOrDefault(id, id), area.path("open").asLong(), area.path("overdue").asLong(),
                    count, median(toAck), median(toClose), onTime));
        }
        return rows;
    }

    private static java.util.Optional<Double> minutesBetween(Instant start, JsonNode end) {
        if (!end.isTextual()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Duration.between(start, Instant.parse(end.asText())).toSeconds() / 60.0);
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return Math.round(median * 10) / 10.0;
    }

    private static void putNullable(ObjectNode node, String field, Double value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

}
