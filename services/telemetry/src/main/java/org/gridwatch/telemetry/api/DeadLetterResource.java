package org.gridwatch.telemetry.api;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.telemetry.store.DeadLetterStore;

import io.smallrye.common.annotation.Blocking;

/**
 * What the services set aside, newest first, for the people who connect sensors: each with its
 * reason, a detail to act on, where it came from and the payload as it was sent. Pages by
 * {@code before} (the recordedAt of the last one of the previous page).
 */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.INTEGRATOR, Roles.ADMINISTRATOR})
public class DeadLetterResource {

    static final int MAX_LIMIT = 1000;

    @Inject
    DeadLetterStore store;

    @GET
    public List<DeadLetterStore.StoredDeadLetter> list(@QueryParam("topic") String topic,
                                                        @QueryParam("reason") String reason,
                                                        @QueryParam("before") String before,
                                                        @QueryParam("limit") @DefaultValue("100") int limit)
            throws SQLException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        Instant until = null;
        if (before != null && !before.isBlank()) {
            try {
                until = Instant.parse(before.strip());
            } catch (DateTimeParseException e) {
                throw new BadRequestException("before must be an ISO-8601 instant (the recordedAt of the last dead "
                        + "letter of the previous page), got '" + before + "'");
            }
        }
        return store.list(blankToNull(topic), blankToNull(reason), until, limit);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
