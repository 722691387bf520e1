package org.gridwatch.alerting.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.gridwatch.alerting.domain.Silence;
import org.gridwatch.alerting.store.SilenceStore;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.plumbing.security.Roles;

import io.smallrye.common.annotation.Blocking;

/**
 * Silences and maintenance windows for operators: create one with matchers (an area at any level,
 * a kind, a device such as an elevator), a start, an end and a reason; list; expire early.
 */
@Path("/api/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR, Roles.SERVICE})
public class SilenceResource {

    @Inject
    Caller caller;

    /** The longest silence: a maintenance window, not a way to switch a rule off (that is the registry's). */
    static final Duration MAX_LENGTH = Duration.ofDays(31);

    /** A new silence; startsAt defaults to now. Times are ISO-8601 instants. */
    public record NewSilence(String areaId, String kind, String deviceId, String startsAt, String endsAt, String reason) {
    }


    @Inject
    SilenceStore silences;

    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    public Response create(NewSilence request) {
        if (request == null) {
            throw new BadRequestException("A JSON body is required, e.g. {\"areaId\":\"lf-c1-b2\",\"kind\":"
                    + "\"elevator.trapped\",\"endsAt\":\"...\",\"reason\":\"...\"}");
        }
        String areaId = blankToNull(request.areaId());
        String kind = blankToNull(request.kind());
        String deviceId = blankToNull(request.deviceId());
        if (areaId == null && kind == null && deviceId == null) {
            throw new BadRequestException("A silence needs at least one matcher: areaId, kind or deviceId");
        }
        Instant startsAt = request.startsAt() == null ? clock.instant() : instant(request.startsAt(), "startsAt");
        if (request.endsAt() == null) {
            throw new BadRequestException("endsAt is required");
        }
        Instant endsAt = instant(request.endsAt(), "endsAt");
        if (!endsAt.isAfter(startsAt)) {
            throw new BadRequestException("endsAt (" + endsAt + ") must be after startsAt (" + startsAt + ")");
        }
        if (Duration.between(startsAt, endsAt).compareTo(MAX_LENGTH) > 0) {
            throw new BadRequestException("A silence lasts at most " + MAX_LENGTH.toDays() + " days");
        }
        if (!endsAt.isAfter(clock.instant())) {
            throw new BadRequestException("endsAt (" + endsAt + ") is already past");
        }
        if (blankToNull(request.reason()) == null) {
            throw new BadRequestException("reason is required: why these alerts are silenced");
        }
        Silence silence = silences.create(areaId, kind, deviceId, startsAt, endsAt, request.reason().strip(),
                caller.subject());
        return Response.status(Response.Status.CREATED).entity(silence).build();
    }

    @GET
    public List<Silence> list(@QueryParam("active") @DefaultValue("false") boolean activeOnly,
                              @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new BadRequestException("limit must be between 1 and 1000, got " + limit);
        }
        return silences.list(activeOnly, limit);
    }

    @POST
    @Path("/{id}/expire")
    @RolesAllowed({Roles.OPERATOR, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
    public Silence expire(@PathParam("id") String id) {
        UUID silenceId;
        try {
            silenceId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Silence ids are UUIDs, got '" + id + "'");
        }
        return silences.expire(silenceId, caller.subject());
    }

    private static Instant instant(String value, String field) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field + " must be an ISO-8601 instant such as 2026-11-27T08:00:00Z, got '"
                    + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
