package org.gridwatch.dispatch.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.dispatch.domain.Deadline;
import org.gridwatch.dispatch.store.DeadlineTable;
import org.gridwatch.plumbing.security.Roles;

import io.smallrye.common.annotation.Blocking;

/** The table of time limits per kind and severity (first match by priority), as data. */
@Path("/api/v1/deadlines")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
public class DeadlineResource {

    @Inject
    DeadlineTable deadlines;

    @GET
    public List<Deadline> list() {
        return deadlines.deadlines();
    }

    @PUT
    @RolesAllowed({Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Deadline put(@PathParam("id") String id, Deadline body) {
        if (body == null) {
            throw new BadRequestException("A deadline needs a JSON body");
        }
        Deadline deadline = new Deadline(id, body.priority(), body.kindPattern(), body.minSeverity(), body.skill(),
                body.acceptSeconds(), body.arriveSeconds(), body.resolveSeconds(), body.verifySeconds());
        String problem = deadline.problem();
        if (problem != null) {
            throw new BadRequestException(problem);
        }
        deadlines.put(deadline);
        return deadline;
    }
}
