package org.gridwatch.alerting.api;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.alerting.store.AlertStore;
import org.gridwatch.alerting.store.SilenceStore;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * How every refusal of the alert-routing API reads: problem JSON with the status, a title and a
 * detail a person can act on. A refused request has changed nothing.
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
    public Response notFound(NotFoundException e) {
        return problem(404, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownAlert(AlertStore.AlertNotFoundException e) {
        return problem(404, "Unknown alert", e.getMessage());
    }

    @ServerExceptionMapper
    public Response illegal(AlertStore.IllegalTransitionException e) {
        return problem(409, "Not allowed in the alert's state", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownSilence(SilenceStore.NotFoundException e) {
        return problem(404, "Unknown silence", e.getMessage());
    }

    @ServerExceptionMapper
    public Response ended(SilenceStore.AlreadyEndedException e) {
        return problem(409, "Silence already ended", e.getMessage());
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Problem(status, title, detail)).build();
    }
}
