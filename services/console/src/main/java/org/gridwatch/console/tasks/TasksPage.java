package org.gridwatch.console.tasks;

import static org.gridwatch.console.api.Fields.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Tasks for dispatchers and supervisors: the open tasks of their area by grid, the overdue ones
 * marked, the backlog; giving a task to a worker by hand; and checking a resolved task (the
 * resolver's note and photo) to verify it or send it back. grid-dispatch enforces that the one
 * who verifies is not the one who resolved.
 */
@Path("/tasks")
@Produces(MediaType.TEXT_HTML)
public class TasksPage {

    static final Set<String> DONE = Set.of("VERIFIED", "CLOSED", "CANCELLED");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tasks(List<Grid> grids, Person person, String lang);

        static native TemplateInstance tasks$list(List<Grid> grids, Person person);
    }

    /** One grid's open tasks, and the workers a task there can be given to. */
    public record Grid(String id, String name, List<TaskRow> tasks, List<Worker> workers) {
    }

    public record TaskRow(String id, String severity, String state, String kind, String summary, String place,
                          String workerId, String due, boolean overdue, String resolvedBy, String resolutionNote,
                          boolean hasPhoto, String alertId) {

        public boolean resolved() {
            return "RESOLVED".equals(state);
        }
    }

    public record Worker(String id, String name) {
    }

    @Inject
    GridWatchApi api;

    @Inject
    Person person;

    @Inject
    Language language;

    @GET
    public TemplateInstance page() {
        return Templates.tasks(grids(), person, language.tag()).setLocale(language.locale());
    }

    @GET
    @Path("/list")
    public TemplateInstance list() {
        return Templates.tasks$list(grids(), person).setLocale(language.locale());
    }

    /** The resolver's photo, from grid-dispatch, for the person checking the fix. */
    @GET
    @Path("/{id}/photo")
    public Response photo(@PathParam("id") String id) {
        try {
            GridWatchApi.Download photo = api.download(Service.GRID_DISPATCH, "/api/v1/tasks/" + id + "/photo");
            return Response.ok(photo.bytes(), photo.mediaType()).header("Cache-Control", "private, max-age=300").build();
        } catch (Refused e) {
            return Response.status(e.status()).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
        }
    }

    /** verify, fail-verification (with a note), assign (a worker). */
    @POST
    @Path("/{id}/{action}")
    public Response act(@PathParam("id") String id, @PathParam("action") String action, @FormParam("note") String note,
                        @FormParam("workerId") String workerId) {
        if (!Set.of("verify", "fail-verification", "assign").contains(action)) {
            return Response.status(404).build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (note != null && !note.isBlank()) {
            body.put("note", note.strip());
        }
        if (workerId != null && !workerId.isBlank()) {
            body.put("workerId", workerId);
        }
        try {
            api.post(Service.GRID_DISPATCH, "/api/v1/tasks/" + id + "/" + action, body);
        } catch (Refused e) {
            return Notice.of(e);
        }
        return Response.ok(list()).build();
    }

    private List<Grid> grids() {
        Map<String, List<TaskRow>> byGrid = new LinkedHashMap<>();
        for (JsonNode task : api.get(Service.GRID_DISPATCH, "/api/v1/tasks?limit=1000")) {
            String state = task.path("state").asText();
            if (DONE.contains(state)) {
                continue;
            }
            JsonNode place = task.path("place");
            String grid = place.path("gridId").asText("");
            String where = place.path("unitId").asText(place.path("buildingId").asText(grid));
            byGrid.computeIfAbsent(grid, g -> new ArrayList<>()).add(new TaskRow(task.path("taskId").asText(),
                    task.path("severity").asText(), state, task.path("kind").asText(), task.path("summary").asText(),
                    where, text(task, "workerId"), text(task, "dueAt"), task.path("overdueSince").isTextual(),
                    text(task, "resolvedBy"), text(task, "resolutionNote"), task.path("photoType").isTextual(),
                    text(task, "alertId")));
        }
        List<Grid> grids = new ArrayList<>();
        byGrid.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            List<TaskRow> rows = new ArrayList<>(entry.getValue());
            // What needs someone first: resolved tasks to check, then the overdue, then by deadline.
            rows.sort(Comparator.comparing((TaskRow t) -> !t.resolved()).thenComparing(t -> !t.overdue())
                    .thenComparing(t -> t.due() == null ? "~" : t.due()));
            List<Worker> workers = new ArrayList<>();
            if (!entry.getKey().isEmpty()) {
                try {
                    api.get(Service.REGISTRY, "/api/v1/workers?areaId=" + entry.getKey())
                            .forEach(w -> workers.add(new Worker(w.path("id").asText(), w.path("name").asText())));
                } catch (Refused e) {
                    // Without the list the page still shows the tasks; giving one by hand waits.
                }
            }
            String name = entry.getKey();
            if (!entry.getKey().isEmpty()) {
                try {
                    name = api.get(Service.REGISTRY, "/api/v1/areas/" + entry.getKey()).path("name").asText(name);
                } catch (Refused e) {
                    // The id says where, if not as nicely.
                }
            }
            grids.add(new Grid(entry.getKey(), name, rows, workers));
        });
        return grids;
    }

}
