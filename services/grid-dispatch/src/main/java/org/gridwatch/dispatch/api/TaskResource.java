package org.gridwatch.dispatch.api;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.contract.v1.Severity;
import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskAction;
import org.gridwatch.dispatch.domain.TaskState;
import org.gridwatch.dispatch.store.TaskActions;
import org.gridwatch.dispatch.store.TaskAssigner;
import org.gridwatch.dispatch.store.TaskQueries;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registryview.RegistryViewBean;

import io.quarkus.security.ForbiddenException;
import io.smallrye.common.annotation.Blocking;

/**
 * Tasks for dispatchers, supervisors and the intake channels: list and filter (the overdue list
 * among them), one task with its history and photo, a report from the hotline, a patrol or a
 * resident, and what people above the worker do: verify, fail verification, cancel, backlog,
 * assign by hand. Who acts is the caller: the subject of their token.
 */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR, Roles.SERVICE})
public class TaskResource {

    static final Set<String> CHANNELS = Set.of("hotline", "patrol", "resident", "operator");
    private static final Set<TaskAction> BY_OTHERS = Set.of(TaskAction.VERIFY, TaskAction.FAIL_VERIFICATION,
            TaskAction.CANCEL, TaskAction.BACKLOG, TaskAction.ASSIGN);
    private static final Set<TaskAction> VERIFYING = Set.of(TaskAction.VERIFY, TaskAction.FAIL_VERIFICATION);
    static final int MAX_LIMIT = 1000;

    @Inject
    Caller caller;

    @Inject
    TaskQueries tasks;

    @Inject
    TaskActions actions;

    @Inject
    TaskAssigner assigner;

    @Inject
    RegistryViewBean registry;

    @GET
    public List<Task> list(@QueryParam("alertId") String alertId, @QueryParam("workerId") String workerId,
                           @QueryParam("state") String state, @QueryParam("areaId") String areaId,
                           @QueryParam("overdue") @DefaultValue("false") boolean overdue,
                           @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        checkLimit(limit);
        String scoped = caller.scopeArea(areaId, registry.state()::isWithin);
        return tasks.list(new TaskQueries.Filter(alertId, workerId, state(state), scoped), overdue, limit);
    }

    /** Tasks that missed a stage deadline, longest overdue first. */
    @GET
    @Path("/overdue")
    public List<Task> overdue(@QueryParam("areaId") String areaId, @QueryParam("limit") @DefaultValue("100") int limit)
            throws SQLException {
        checkLimit(limit);
        return tasks.list(new TaskQueries.Filter(null, null, null, caller.scopeArea(areaId, registry.state()::isWithin)),
                true, limit);
    }

    @GET
    @Path("/{id}")
    public Task get(@PathParam("id") String id) throws SQLException {
        UUID taskId = taskId(id);
        Task task = tasks.get(taskId).orElseThrow(() -> new TaskActions.TaskNotFoundException(taskId));
        Task.Place place = task.place();
        if (place != null) {
            caller.requireWithin("Task " + taskId, place.districtId(), place.streetId(), place.communityId(),
                    place.gridId(), place.buildingId(), place.unitId());
        }
        return task;
    }

    @GET
    @Path("/{id}/history")
    public List<TaskQueries.HistoryEntry> history(@PathParam("id") String id) throws SQLException {
        get(id);
        return tasks.history(taskId(id));
    }

    @GET
    @Path("/{id}/photo")
    @Produces({"image/jpeg", "image/png", "image/webp", MediaType.APPLICATION_JSON})
    public Response photo(@PathParam("id") String id) throws SQLException {
        get(id);
        TaskQueries.Photo photo = tasks.photo(taskId(id))
                .orElseThrow(() -> new NotFoundException("Task " + id + " has no photo"));
        return Response.ok(photo.bytes()).type(photo.type()).build();
    }

    /** A problem reported through the hotline, a patrol, a resident's app or by an operator. */
    public record ReportBody(String channel, String kind, String severity, String areaId, String summary,
                             Double latitude, Double longitude, String reportedBy) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response report(ReportBody body) throws SQLException {
        if (body == null) {
            throw new BadRequestException("A report needs a JSON body: channel, kind, areaId, summary");
        }
        if (!CHANNELS.contains(String.valueOf(body.channel()))) {
            throw new BadRequestException("channel must be one of " + CHANNELS.stream().sorted().toList() + ", got '"
                    + body.channel() + "'");
        }
        if (body.kind() == null || !body.kind().matches("[a-z0-9-]+(\\.[a-z0-9-]+)*")) {
            throw new BadRequestException("kind must be dotted lower-case words such as 'hotline.noise', got '"
                    + body.kind() + "'");
        }
        if (body.summary() == null || body.summary().isBlank()) {
            throw new BadRequestException("summary must say what was reported");
        }
        Severity severity = severity(body.severity());
        if (body.areaId() == null || registry.state().area(body.areaId()).isEmpty()) {
            throw new BadRequestException("areaId must name an area of the registry, got '" + body.areaId() + "'");
        }
        caller.scopeArea(body.areaId(), registry.state()::isWithin);
        if ((body.latitude() == null) != (body.longitude() == null)) {
            throw new BadRequestException("latitude and longitude come together");
        }
        TaskAssigner.Created created = assigner.report(new TaskAssigner.Report(body.channel(), body.kind(), severity,
                body.areaId(), body.summary(), body.latitude(), body.longitude(),
                body.reportedBy() == null ? caller.subject() : body.reportedBy()), registry.state());
        return Response.status(201).entity(created.task()).build();
    }

    /** verify, fail-verification, cancel, backlog, assign (body: workerId), each with a note or reason. */
    @POST
    @Path("/{id}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    public TaskView act(@PathParam("id") String id, @PathParam("action") String action,
                        ActionBody body) throws SQLException {
        TaskAction what = BY_OTHERS.stream().filter(a -> a.path().equals(action)).findFirst()
                .orElseThrow(() -> new NotFoundException("No action '" + action + "' on tasks here; one of "
                        + BY_OTHERS.stream().map(TaskAction::path).sorted().toList()
                        + " (accept, decline, arrive and resolve are the worker's, under /api/v1/me)"));
        if (VERIFYING.contains(what) && !(caller.hasRole(Roles.SUPERVISOR) || caller.hasRole(Roles.DISPATCHER)
                || caller.hasRole(Roles.ADMINISTRATOR))) {
            throw new ForbiddenException("Verifying a fix is for a supervisor or a dispatcher, not an " + Roles.OPERATOR);
        }
        get(id); // within the caller's area, or refused
        TaskActions.Request request = ActionBody.toRequest(body);
        if (what == TaskAction.ASSIGN && request.workerId() == null) {
            throw new BadRequestException("assign needs the workerId to give the task to");
        }
        return TaskView.of(actions.act(taskId(id), caller.subject(), what, request, registry.state()));
    }

    static Severity severity(String name) {
        if (name == null) {
            return Severity.WARNING;
        }
        try {
            Severity severity = Severity.valueOf(name);
            if (severity.getNumber() > 0) {
                return severity;
            }
        } catch (IllegalArgumentException e) {
            // Refused below with the accepted values.
        }
        throw new BadRequestException("severity must be INFO, WARNING or CRITICAL, got '" + name + "'");
    }

    /** The state a list is filtered by; null for any. */
    static TaskState state(String state) {
        if (state == null) {
            return null;
        }
        try {
            return TaskState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("state must be one of " + List.of(TaskState.values()) + ", got '" + state
                    + "'");
        }
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    static UUID taskId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Task ids are UUIDs, got '" + id + "'");
        }
    }
}
