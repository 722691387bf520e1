package org.gridwatch.dispatch.api;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.store.TaskStore;

import io.smallrye.common.annotation.Blocking;

/** Tasks for dispatchers and workers: list with filters, and one task by id. */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TaskResource {

    private static final Set<String> STATES = Set.of("CREATED", "ASSIGNED", "ACCEPTED", "ON_SITE", "RESOLVED",
            "VERIFIED", "CLOSED", "CANCELLED");
    private static final int MAX_LIMIT = 1000;

    @Inject
    TaskStore tasks;

    @GET
    public List<Task> list(@QueryParam("alertId") String alertId, @QueryParam("workerId") String workerId,
                           @QueryParam("state") String state, @QueryParam("limit") @DefaultValue("100") int limit)
            throws SQLException {
        if (state != null && !STATES.contains(state)) {
            throw new BadRequestException("state must be one of " + STATES + ", got '" + state + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return tasks.list(alertId, workerId, state, limit);
    }

    @GET
    @Path("/{id}")
    public Task get(@PathParam("id") String id) throws SQLException {
        UUID taskId;
        try {
            taskId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Task ids are UUIDs, got '" + id + "'");
        }
        return tasks.get(taskId).orElseThrow(() -> new NotFoundException("No task " + id));
    }
}
