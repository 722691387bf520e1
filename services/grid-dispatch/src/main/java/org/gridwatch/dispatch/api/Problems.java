package org.gridwatch.dispatch.api;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.dispatch.store.TaskStore;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * How every refusal of the grid-dispatch API reads: problem JSON with the status, a title and a
 * detail a person (or a phone) can act on. A refused request has changed nothing.
 */
public class Problems {

    /** A refusal as the API returns it. */
    public record Problem(int status, String title, String detail) {
    }

    @ServerExceptionMapper
    public Response invalid(BadRequestException e) {
        return problem(400, "Invalid request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return problem(400, "Invalid request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return problem(404, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownTask(TaskStore.TaskNotFoundException e) {
        return problem(404, "Unknown task", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notYours(TaskStore.NotYoursException e) {
        return problem(403, "Not your task", e.getMessage());
    }

    @ServerExceptionMapper
    public Response selfVerification(TaskStore.SelfVerificationException e) {
        return problem(403, "The resolver cannot verify", e.getMessage());
    }

    @ServerExceptionMapper
    public Response illegal(TaskStore.IllegalTransitionException e) {
        return problem(409, "Not allowed in the task's state", e.getMessage());
    }

    @ServerExceptionMapper
    public Response anonymous(Identity.MissingException e) {
        return problem(401, "Who is asking?", e.getMessage());
    }

    static Response problem(int status, String title, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Problem(status, title, detail)).build();
    }
}
