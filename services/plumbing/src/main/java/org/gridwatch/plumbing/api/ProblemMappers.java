package org.gridwatch.plumbing.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.gridwatch.plumbing.security.AccessRefusals;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every refusal of a GridWatch API into problem JSON ({@link Problem}): the services' own
 * ({@link Refusal}) and those of the HTTP layer (a path that does not exist, a body that is not
 * JSON, a method not allowed), so that a client reads one shape whatever refused it. In every
 * service that depends on this module.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    AccessRefusals refusals;

    @ServerExceptionMapper
    public Response refused(Refusal refusal) {
        return refusal.problem().toResponse();
    }

    /** No verified identity: 401 with the challenge a client needs, counted. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(Exception e) {
        refusals.counter(401).increment();
        return Response.fromResponse(new Problem(401, "Not signed in", "This API needs a bearer token of GridWatch's "
                + "OpenID Connect provider (Authorization: Bearer ...); none was sent, or it was not valid").toResponse())
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A verified identity whose role or area does not allow this: 403, counted. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        refusals.counter(403).increment();
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? "Your role does not allow this; the README's role table says who may" : e.getMessage();
        return new Problem(403, "Not allowed", detail).toResponse();
    }

    @ServerExceptionMapper
    public Response refused(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            LOG.warnf("Request failed: %s", e.toString());
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ")
                ? defaultDetail(status.getStatusCode()) : e.getMessage();
        return new Problem(status.getStatusCode(), status.getReasonPhrase(), detail).toResponse();
    }

    private static String defaultDetail(int status) {
        return switch (status) {
            case 400 -> "The request could not be read: check that the body is well-formed JSON of the documented shape";
            case 404 -> "Nothing here: see /q/openapi for the paths this service answers";
            case 405 -> "This path does not take that method: see /q/openapi";
            case 406, 415 -> "Send and accept application/json";
            default -> "The request was refused (" + status + ")";
        };
    }
}
