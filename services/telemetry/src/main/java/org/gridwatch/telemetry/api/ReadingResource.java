package org.gridwatch.telemetry.api;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.telemetry.store.TimeSeriesStore;

import io.smallrye.common.annotation.Blocking;

/** Readings of one device over a time range, oldest first. */
@Path("/api/v1/devices/{deviceId}/readings")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.INTEGRATOR, Roles.ADMINISTRATOR, Roles.SERVICE})
public class ReadingResource {

    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final int MAX_LIMIT = 10_000;

    @Inject
    TimeSeriesStore store;

    @Inject
    AreaScope scope;

    /**
     * @param from ISO-8601 instant, default one hour before {@code to}
     * @param to   ISO-8601 instant, default now
     */
    @GET
    public List<TimeSeriesStore.StoredReading> readings(@PathParam("deviceId") String deviceId,
                                                        @QueryParam("from") String from, @QueryParam("to") String to,
                                                        @QueryParam("limit") @DefaultValue("1000") int limit)
            throws SQLException {
        scope.requireDevice(deviceId);
        Range range = Range.of(from, to, Duration.ofHours(1), MAX_RANGE);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return store.readings(deviceId, range.from(), range.to(), limit);
    }
}
