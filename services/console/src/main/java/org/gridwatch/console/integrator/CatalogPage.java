package org.gridwatch.console.integrator;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Refused;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Language;
import org.gridwatch.console.web.Notice;
import org.gridwatch.console.web.Person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The integrator's catalog: sensor types and detection rules, listed, and each viewed, created or
 * changed in an editor of its JSON (the registry's own format, proto/README.md). The registry
 * checks every change; a refusal lists each problem with the field it names (for example
 * {@code fields[1].max}), beside the text the integrator wrote, which stays as it was.
 */
@Path("/integrator")
@Produces(MediaType.TEXT_HTML)
public class CatalogPage {

    /** A kind of entity the catalog edits: its registry path and its key. */
    enum Kind {
        SENSOR_TYPE("sensor-types", "name"), RULE("rules", "id");

        final String path;
        final String key;

        Kind(String path, String key) {
            this.path = path;
            this.key = key;
        }

        static Kind of(String path) {
            for (Kind kind : values()) {
                if (kind.path.equals(path)) {
                    return kind;
                }
            }
            throw new jakarta.ws.rs.NotFoundException("No catalog of " + path);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance catalog(List<Entry> types, List<Entry> rules, String problem, Person person,
                                               String lang);

        static native TemplateInstance editor(String kind, String key, boolean isNew, String json,
                                              List<Problem> problems, boolean saved, Person person, String lang);
    }

    /** One row of a list: its key, a line about it, and a version (rules). */
    public record Entry(String key, String about, String version) {
    }

    /** A problem the registry named: the field it is about, and what is wrong. */
    public record Problem(String field, String text) {
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
    @Path("/catalog")
    public TemplateInstance catalog() {
        List<Entry> types = new ArrayList<>();
        List<Entry> rules = new ArrayList<>();
        String problem = null;
        try {
            for (JsonNode type : api.get(Service.REGISTRY, "/api/v1/sensor-types")) {
                List<String> fields = new ArrayList<>();
                type.path("fields").forEach(f -> fields.add(f.path("name").asText()
                        + (f.path("unit").asText("").isEmpty() ? "" : " (" + f.path("unit").asText() + ")")));
                types.add(new Entry(type.path("name").asText(), String.join(", ", fields), null));
            }
            for (JsonNode rule : api.get(Service.REGISTRY, "/api/v1/rules")) {
                rules.add(new Entry(rule.path("id").asText(), rule.path("kind").asText() + " · "
                        + rule.path("description").asText(""), rule.path("version").asText()));
            }
        } catch (Refused e) {
            problem = e.getMessage();
        }
        return Templates.catalog(types, rules, problem, person, language.tag()).setLocale(language.locale());
    }

    @GET
    @Path("/{kind:sensor-types|rules}/{key}")
    public Response editor(@PathParam("kind") String kind, @PathParam("key") String key,
                           @jakarta.ws.rs.QueryParam("saved") boolean saved) {
        Kind what = Kind.of(kind);
        if (key.equals("new")) {
            String template = what == Kind.RULE
                    ? "{\n  \"id\": \"\",\n  \"version\": 1,\n  \"kind\": \"\",\n  \"description\": \"\",\n  \"sensorTypes\": [],\n"
                            + "  \"threshold\": {\"field\": \"\", \"levels\": [{\"severity\": \"WARNING\", \"atOrAbove\": 0}], "
                            + "\"sustainSeconds\": 0}\n}"
                    : "{\n  \"name\": \"\",\n  \"description\": \"\",\n  \"samplingIntervalSeconds\": 60,\n"
                            + "  \"fields\": [{\"name\": \"\", \"unit\": \"\", \"min\": 0, \"max\": 100}]\n}";
            return page(what, "", true, template, List.of(), false);
        }
        try {
            JsonNode entity = api.get(Service.REGISTRY, "/api/v1/" + what.path + "/" + key);
            return page(what, key, false, json.writerWithDefaultPrettyPrinter().writeValueAsString(entity), List.of(),
                    saved);
        } catch (Refused e) {
            return Notice.page(e, person, language);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Saves what the editor holds: the registry checks it and publishes it to every service. */
    @POST
    @Path("/{kind:sensor-types|rules}/{key}")
    public Response save(@PathParam("kind") String kind, @PathParam("key") String key, @FormParam("json") String text) {
        Kind what = Kind.of(kind);
        String body = text == null ? "" : text;
        String target = key;
        if (key.equals("new")) {
            try {
                target = json.readTree(body).path(what.key).asText("");
            } catch (java.io.IOException e) {
                return page(what, "", true, body, List.of(new Problem("", "not JSON: " + e.getMessage())), false);
            }
            if (target.isBlank()) {
                return page(what, "", true, body, List.of(new Problem(what.key, "is needed: the new entry's " + what.key)),
                        false);
            }
        }
        try {
            api.putText(Service.REGISTRY, "/api/v1/" + what.path + "/" + target, body);
        } catch (Refused e) {
            if (e.status() != 400) {
                return page(what, key, key.equals("new"), body, List.of(new Problem("", e.getMessage())), false);
            }
            return page(what, key, key.equals("new"), body, problems(e.getMessage()), false);
        }
        awaitVisible(what, target);
        return Response.seeOther(URI.create("/integrator/" + what.path + "/" + target + "?saved=true")).build();
    }

    /**
     * The registry answers once Kafka has the change; its own view reads it back a moment later.
     * Waits (at most 3 s) until it does, so the page shown next holds what was saved.
     */
    private void awaitVisible(Kind what, String key) {
        long deadline = System.currentTimeMillis() + 3_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                api.get(Service.REGISTRY, "/api/v1/" + what.path + "/" + key);
                return;
            } catch (Refused e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The registry's refusal, "a; b; c", as problems each with the field its text starts with. */
    static List<Problem> problems(String detail) {
        List<Problem> problems = new ArrayList<>();
        for (String problem : detail.split("; ")) {
            String trimmed = problem.strip();
            int space = trimmed.indexOf(' ');
            String head = space < 0 ? trimmed : trimmed.substring(0, space);
            boolean isField = head.matches("[A-Za-z][A-Za-z0-9_]*(\\[\\d+])?(\\.[A-Za-z][A-Za-z0-9_]*(\\[\\d+])?)*:?");
            problems.add(isField ? new Problem(head.replaceAll(":$", ""), trimmed.substring(head.length()).strip())
                    : new Problem("", trimmed));
        }
        return problems;
    }

    private Response page(Kind kind, String key, boolean isNew, String text, List<Problem> problems, boolean saved) {
        return Response.status(problems.isEmpty() ? 200 : 400).type(MediaType.TEXT_HTML)
                .entity(Templates.editor(kind.path, key, isNew, text, problems, saved, person, language.tag())
                        .setLocale(language.locale())).build();
    }
}
