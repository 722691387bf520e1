package org.gridwatch.console.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

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

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * One alert's page: where, who lives there, why (the rule, its version and thresholds), the
 * device's readings around it with the thresholds drawn, its history and its task; and what an
 * operator does with it: acknowledge, comment, assign, resolve with a note, silence alerts like
 * it for a while, give its task to another worker. Each action is the signed-in person's; the
 * page's main part is read again after it, and a refusal is shown in the service's words.
 */
@Path("/alerts/{id}")
@Produces(MediaType.TEXT_HTML)
public class AlertPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance alert(AlertDetail alert, Person person, String lang);

        static native TemplateInstance alert$main(AlertDetail alert, Person person);
    }

    @Inject
    AlertReader reader;

    @Inject
    GridWatchApi api;

    @Inject
    Person person;

    @Inject
    Language language;

    @GET
    public Response page(@PathParam("id") String id) {
        try {
            return Response.ok(Templates.alert(reader.read(id), person, language.tag()).setLocale(language.locale()))
                    .build();
        } catch (Refused e) {
            return Notice.page(e, person, language);
        }
    }

    @POST
    @Path("/comment")
    public Response comment(@PathParam("id") String id, @FormParam("text") String text) {
        return act(id, "/comments", Map.of("text", blankToEmpty(text)));
    }

    @POST
    @Path("/resolve")
    public Response resolve(@PathParam("id") String id, @FormParam("note") String note) {
        return act(id, "/resolve", Map.of("note", blankToEmpty(note)));
    }

    @POST
    @Path("/assign")
    public Response assign(@PathParam("id") String id, @FormParam("assignee") String assignee) {
        return act(id, "/assign", Map.of("assignee", blankToEmpty(assignee)));
    }

    @POST
    @Path("/acknowledge")
    public Response acknowledge(@PathParam("id") String id) {
        return act(id, "/acknowledge", Map.of());
    }

    /**
     * Silences alerts like this one until the chosen time: the same kind in the same unit (or only
     * from this device), so that a known cause (a resident in hospital, a detector being repaired)
     * stops paging people; the alerts are still recorded and shown.
     */
    @POST
    @Path("/silence")
    public Response silence(@PathParam("id") String id, @FormParam("scope") String scope, @FormParam("hours") int hours,
                            @FormParam("reason") String reason) {
        try {
            AlertDetail alert = reader.read(id);
            Map<String, Object> silence = new HashMap<>();
            silence.put("kind", alert.kind());
            if ("device".equals(scope) && alert.deviceId() != null) {
                silence.put("deviceId", alert.deviceId());
            } else {
                silence.put("areaId", alert.unitId() != null ? alert.unitId() : alert.gridId());
            }
            silence.put("endsAt", Instant.now().plus(Duration.ofHours(Math.max(hours, 1))).toString());
            silence.put("reason", blankToEmpty(reason));
            api.post(Service.ALERT_ROUTING, "/api/v1/silences", silence);
        } catch (Refused e) {
            return Notice.of(e);
        }
        return main(id);
    }

    /** Gives the alert's task to another worker of the grid (a dispatcher's or supervisor's call). */
    @POST
    @Path("/task/assign")
    public Response reassign(@PathParam("id") String id, @FormParam("taskId") String taskId,
                             @FormParam("workerId") String workerId, @FormParam("note") String note) {
        try {
            api.post(Service.GRID_DISPATCH, "/api/v1/tasks/" + taskId + "/assign",
                    Map.of("workerId", blankToEmpty(workerId), "note", note == null || note.isBlank() ? "reassigned from the console" : note));
        } catch (Refused e) {
            return Notice.of(e);
        }
        return main(id);
    }

    private Response act(String id, String action, Map<String, Object> body) {
        try {
            api.post(Service.ALERT_ROUTING, "/api/v1/alerts/" + id + action, body);
        } catch (Refused e) {
            return Notice.of(e);
        }
        return main(id);
    }

    private Response main(String id) {
        return Response.ok(Templates.alert$main(reader.read(id), person).setLocale(language.locale())).build();
    }

    private static String blankToEmpty(String text) {
        return text == null ? "" : text.strip();
    }
}
