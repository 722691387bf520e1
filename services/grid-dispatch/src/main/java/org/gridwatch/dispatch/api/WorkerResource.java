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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.domain.TaskAction;
import org.gridwatch.dispatch.store.TaskActions;
import org.gridwatch.dispatch.store.TaskQueries;
import org.gridwatch.dispatch.store.WorkerStatusStore;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registryview.RegistryViewBean;

import io.smallrye.common.annotation.Blocking;

/**
 * The worker's phone: their own tasks only (another worker's task is refused, not shown), the
 * steps of the loop that are theirs (accept, decline, arrive, resolve with a note and a photo),
 * each idempotent by its {@code requestId} so that a retry on a bad network does no harm, and
 * their duty state and position. The worker is the caller: the subject of their token.
 */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.GRID_WORKER)
public class WorkerResource {

    @Inject
    Caller caller;

    private static final Set<TaskAction> WORKER_ACTIONS = Set.of(TaskAction.ACCEPT, TaskAction.DECLINE,
            TaskAction.ARRIVE, TaskAction.RESOLVE);

    @Inject
    TaskQueries tasks;

    @Inject
    TaskActions actions;

    @Inject
    WorkerStatusStore workers;

    @Inject
    RegistryViewBean registry;

    @GET
    @Path("/tasks")
    public List<Task> myTasks(@QueryParam("state") String state,
                              @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        String me = caller.subject();
        TaskResource.checkLimit(limit);
        return tasks.list(new TaskQueries.Filter(null, me, TaskResource.state(state), null), false, limit);
    }

    @GET
    @Path("/tasks/{id}")
    public Task myTask(@PathParam("id") String id) throws SQLException {
        String me = caller.subject();
        UUID taskId = TaskResource.taskId(id);
        Task task = tasks.get(taskId).orElseThrow(() -> new TaskActions.TaskNotFoundException(taskId));
        if (!me.equals(task.workerId())) {
            throw new TaskActions.NotYoursException(task, me);
        }
        return task;
    }

    /** accept, decline (reason), arrive, resolve (note, optional photo); each with an optional position and requestId. */
    @POST
    @Path("/tasks/{id}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    public TaskView act(@PathParam("id") String id,
                        @PathParam("action") String action, ActionBody body) throws SQLException {
        String me = caller.subject();
        TaskAction what = WORKER_ACTIONS.stream().filter(a -> a.path().equals(action)).findFirst()
                .orElseThrow(() -> new NotFoundException("No action '" + action + "' for a worker; one of "
                        + WORKER_ACTIONS.stream().map(TaskAction::path).sorted().toList()));
        return TaskView.of(actions.act(TaskResource.taskId(id), me, what, ActionBody.toRequest(body), registry.state()));
    }

    /** On duty or not (null: the shifts decide) and where the phone is. */
    public record Status(Boolean onDuty, Double latitude, Double longitude) {
    }

    @PUT
    @Path("/status")
    @Consumes(MediaType.APPLICATION_JSON)
    public Status status(Status body) throws SQLException {
        String me = caller.subject();
        if (registry.state().worker(me).isEmpty()) {
            throw new BadRequestException("No worker '" + me + "' in the registry");
        }
        if (body == null || (body.latitude() == null) != (body.longitude() == null)) {
            throw new BadRequestException("A status has onDuty and/or latitude with longitude");
        }
        workers.setStatus(me, body.onDuty(), body.latitude(), body.longitude());
        return body;
    }
}
