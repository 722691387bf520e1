package org.gridwatch.console.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.console.api.GridWatchApi;
import org.gridwatch.console.api.Refused;
import org.gridwatch.console.api.Service;
import org.gridwatch.console.web.Language;
import org.gridwatch.console.web.Person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The grid worker's phone app: their tasks, pushed live ({@link WorkerFeedRelay}), each with its
 * place, priority, what happened and a countdown to its stage's deadline; accept, decline with a
 * reason, arrived, resolved with a note and a photo; on and off duty. The page's script sends
 * each action with a request id of its own and keeps it queued on the phone until the service
 * has it, so a step taken in a stairwell without signal is sent when the signal is back and
 * never twice (grid-dispatch takes a repeated request id as the same step).
 */
@Path("/worker")
public class WorkerPage {

    /** The states in which a task is still the worker's to act on or to see through. */
    static final Set<String> OPEN = Set.of("ASSIGNED", "ACCEPTED", "ON_SITE", "RESOLVED");
    static final Set<String> ACTIONS = Set.of("accept", "decline", "arrive", "resolve");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance worker(List<WorkerTask> tasks, Person person, String lang);

        static native TemplateInstance worker$tasks(List<WorkerTask> tasks);
    }

    /** A task as the phone shows it. */
    public record WorkerTask(String id, String severity, String state, String kind, String summary, String place,
                             String due, boolean overdue, String note) {
    }

    @Inject
    GridWatchApi api;

    @Inject
    Person person;

    @Inject
    Language language;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.worker(tasks(), person, language.tag()).setLocale(language.locale());
    }

    @GET
    @Path("/tasks")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        return Templates.worker$tasks(tasks()).setLocale(language.locale());
    }

    /**
     * One step of the worker's: the phone's JSON (requestId, note, photo, photoType) passed on as
     * it is. Answers {@code {"ok":true}}, or the service's status and words.
     */
    @POST
    @Path("/tasks/{id}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response act(@PathParam("id") String id, @PathParam("action") String action, ObjectNode body) {
        if (!ACTIONS.contains(action)) {
            return answer(404, "No step '" + action + "'; one of " + ACTIONS);
        }
        try {
            api.post(Service.GRID_DISPATCH, "/api/v1/me/tasks/" + id + "/" + action, body);
            return answer(200, null);
        } catch (Refused e) {
            return answer(e.status(), e.getMessage());
        }
    }

    @PUT
    @Path("/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(ObjectNode body) {
        try {
            api.put(Service.GRID_DISPATCH, "/api/v1/me/status", body);
            return answer(200, null);
        } catch (Refused e) {
            return answer(e.status(), e.getMessage());
        }
    }

    private static Response answer(int status, String detail) {
        return Response.status(status).entity(detail == null ? Map.of("ok", true) : Map.of("ok", false, "detail", detail))
                .type(MediaType.APPLICATION_JSON).build();
    }

    private List<WorkerTask> tasks() {
        List<WorkerTask> tasks = new ArrayList<>();
        for (JsonNode task : api.get(Service.GRID_DISPATCH, "/api/v1/me/tasks?limit=100")) {
            String state = task.path("state").asText();
            if (!OPEN.contains(state)) {
                continue;
            }
            JsonNode place = task.path("place");
            String where = place.path("unitId").asText(place.path("buildingId").asText(place.path("gridId").asText("")));
            String due = task.path("dueAt").isTextual() ? task.path("dueAt").asText() : null;
            tasks.add(new WorkerTask(task.path("taskId").asText(), task.path("severity").asText(), state,
                    task.path("kind").asText(), task.path("summary").asText(), where, due,
                    task.path("overdueSince").isTextual(), task.path("resolutionNote").asText("")));
        }
        // The most urgent first: the nearest deadline, tasks waiting for someone else's check last.
        tasks.sort(Comparator.comparing((WorkerTask t) -> t.state().equals("RESOLVED"))
                .thenComparing(t -> t.due() == null ? Instant.MAX : Instant.parse(t.due())));
        return tasks;
    }
}
