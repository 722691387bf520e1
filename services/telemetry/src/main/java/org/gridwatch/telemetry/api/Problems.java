package org.gridwatch.telemetry.api;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused query reads as problem JSON, as in the other services: status, title, and what to change. */
public class Problems {

    /** A refusal as the API returns it. */
    public record Problem(int status, String title, String detail) {
    }

    @ServerExceptionMapper
    public Response invalid(BadRequestException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(400, "Invalid request", e.getMessage())).build();
    }
}
