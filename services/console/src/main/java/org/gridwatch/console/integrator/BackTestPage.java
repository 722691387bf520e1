package org.gridwatch.console.integrator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Refused;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Language;
import org.gridwatch.console.web.Person;
import org.gridwatch.console.web.Times;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Back-test: what a rule (as edited, or the rules in force) would have raised over an area's
 * recorded readings in a period, from detection's back-test, raising nothing.
 */
@Path("/integrator/backtest")
@Produces(MediaType.TEXT_HTML)
public class BackTestPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance backtest(Form form, Result result, List<CatalogPage.Problem> problems,
                                                Person person, String lang);
    }

    /** What was asked: the area, the period, and the rule's JSON (empty: the rules in force). */
    public record Form(String areaId, String from, String to, String rule) {
    }

    /** What came back: the devices and readings replayed, per rule raised and cleared, the detections. */
    public record Result(int devices, int readings, List<String> byRule, List<Found> detections) {
    }

    public record Found(String time, String ruleId, String phase, String severity, String subject, String summary) {
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
    public TemplateInstance page() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Form form = new Form(person.area().orElse(""), now.minus(1, ChronoUnit.DAYS).toString(), now.toString(), "");
        return Templates.backtest(form, null, List.of(), person, language.tag()).setLocale(language.locale());
    }

    @POST
    public TemplateInstance run(@FormParam("areaId") String areaId, @FormParam("from") String from,
                                @FormParam("to") String to, @FormParam("rule") String rule) {
        Form form = new Form(blank(areaId), blank(from), blank(to), rule == null ? "" : rule);
        ObjectNode request = json.createObjectNode().put("areaId", form.areaId()).put("from", form.from())
                .put("to", form.to());
        List<CatalogPage.Problem> problems = new ArrayList<>();
        Result result = null;
        try {
            if (!form.rule().isBlank()) {
                request.putArray("rules").add(json.readTree(form.rule()));
            }
            JsonNode report = api.postText(Service.DETECTION, "/api/v1/backtest", request.toString());
            List<String> byRule = new ArrayList<>();
            report.path("byRule").fields().forEachRemaining(e -> byRule.add(e.getKey() + ": "
                    + e.getValue().path("raised").asInt() + " raised, " + e.getValue().path("cleared").asInt() + " cleared"));
            List<Found> found = new ArrayList<>();
            for (JsonNode d : report.path("detections")) {
                found.add(new Found(Times.whole(d.path("detectedAt").asText()), d.at("/evidence/ruleId").asText(),
                        d.path("phase").asText(), d.path("severity").asText(""), d.path("subjectId").asText(),
                        d.path("summary").asText()));
            }
            result = new Result(report.path("devices").asInt(), report.path("readings").asInt(), byRule, found);
        } catch (Refused e) {
            problems.addAll(CatalogPage.problems(e.getMessage()));
        } catch (java.io.IOException e) {
            problems.add(new CatalogPage.Problem("rule", "is not JSON: " + e.getMessage()));
        }
        return Templates.backtest(form, result, problems, person, language.tag()).setLocale(language.locale());
    }

    private static String blank(String value) {
        return value == null ? "" : value.strip();
    }
}
