package org.gridwatch.telemetry.api;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.telemetry.store.TimeSeriesStore;

import io.smallrye.common.annotation.Blocking;

/** Readings of one device over a time range, oldest first. */
@Path("/api/v1/devices/{deviceId}/readings")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ReadingResource {

    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final int MAX_LIMIT = 10_000;

    @Inject
    TimeSeriesStore store;

    /**
     * @param from ISO-8601 instant, default one hour before {@code to}
     * @param to   ISO-8601 instant, default now
     */
    @GET
    public List<TimeSeriesStore.StoredReading> readings(@PathParam("deviceId") String deviceId,
                                                        @QueryParam("from") String from, @QueryParam("to") String to,
                                                        @QueryParam("limit") @DefaultValue("1000") int limit)
            throws SQLException {
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(1)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new BadRequestException("from must be before to");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new BadRequestException("The range may span at most " + MAX_RANGE.toDays() + " days");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return store.readings(deviceId, start, end, limit);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an ISO-8601 instant such as 2026-11-27T08:00:00Z, got '"
                    + value + "'");
        }
    }
}
