package org.gridwatch.telemetry.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.telemetry.store.TimeSeriesQueries;

import io.smallrye.common.annotation.Blocking;

/**
 * A device's readings for charts and exports: one metric downsampled to a number of points that
 * keeps every bucket's extremes, its per-minute or per-hour statistics, the latest values of some
 * devices, and a range as CSV. Every query is bounded (range, points, devices) and refuses bad
 * parameters with a 400 saying why.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.INTEGRATOR, Roles.ADMINISTRATOR, Roles.SERVICE})
public class SeriesResource {

    @Inject
    AreaScope scope;

    static final Duration MAX_SERIES_RANGE = Duration.ofDays(31);
    static final Duration MAX_STATS_RANGE = Duration.ofDays(366);
    static final int MIN_POINTS = 4;
    static final int MAX_POINTS = 10_000;
    static final int MAX_DEVICES = 1_000;

    @Inject
    TimeSeriesQueries queries;

    /** {@code ?metric=heartRate&from=&to=&points=500}: at most {@code points} points, raw when there are no more. */
    @GET
    @Path("/devices/{deviceId}/series")
    public TimeSeriesQueries.Series series(@PathParam("deviceId") String deviceId, @QueryParam("metric") String metric,
                                           @QueryParam("from") String from, @QueryParam("to") String to,
                                           @QueryParam("points") @DefaultValue("500") int points) throws SQLException {
        scope.requireDevice(deviceId);
        if (points < MIN_POINTS || points > MAX_POINTS) {
            throw new BadRequestException("points must be between " + MIN_POINTS + " and " + MAX_POINTS + ", got "
                    + points);
        }
        Range range = Range.of(from, to, Duration.ofDays(1), MAX_SERIES_RANGE);
        return queries.series(deviceId, required("metric", metric), range.from(), range.to(), points);
    }

    /** {@code ?metric=&resolution=minute|hour&from=&to=}: samples, mean, low and high per bucket. */
    @GET
    @Path("/devices/{deviceId}/stats")
    public List<TimeSeriesQueries.Stats> stats(@PathParam("deviceId") String deviceId,
                                               @QueryParam("metric") String metric,
                                               @QueryParam("resolution") @DefaultValue("hour") String resolution,
                                               @QueryParam("from") String from, @QueryParam("to") String to)
            throws SQLException {
        scope.requireDevice(deviceId);
        boolean hourly = switch (resolution) {
            case "hour" -> true;
            case "minute" -> false;
            default -> throw new BadRequestException("resolution must be minute or hour, got '" + resolution + "'");
        };
        Range range = Range.of(from, to, Duration.ofDays(hourly ? 7 : 1), hourly ? MAX_STATS_RANGE
                : MAX_SERIES_RANGE);
        return queries.stats(deviceId, required("metric", metric), hourly, range.from(), range.to());
    }

    /** {@code ?from=&to=}: every value of the device in the range, as CSV, streamed. */
    @GET
    @Path("/devices/{deviceId}/readings.csv")
    @Produces("text/csv")
    public Response csv(@PathParam("deviceId") String deviceId, @QueryParam("from") String from,
                        @QueryParam("to") String to) {
        scope.requireDevice(deviceId);
        Range range = Range.of(from, to, Duration.ofDays(1), MAX_SERIES_RANGE);
        StreamingOutput body = output -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            try {
                queries.csv(deviceId, range.from(), range.to(), writer);
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("Reading the range failed: " + e.getMessage(), e));
            }
            writer.flush();
        };
        return Response.ok(body, "text/csv").header("Content-Disposition", "attachment; filename=\"" + deviceId
                .replaceAll("[^A-Za-z0-9._-]", "_") + "-" + range.from() + ".csv\"").build();
    }

    /** {@code ?deviceId=a&deviceId=b&within=P1D}: each device's metrics at their newest. */
    @GET
    @Path("/latest")
    public List<TimeSeriesQueries.Latest> latest(@QueryParam("deviceId") List<String> deviceIds,
                                                 @QueryParam("within") @DefaultValue("P1D") String within)
            throws SQLException {
        if (deviceIds == null || deviceIds.isEmpty() || deviceIds.size() > MAX_DEVICES) {
            throw new BadRequestException("Give between 1 and " + MAX_DEVICES + " deviceId parameters, got "
                    + (deviceIds == null ? 0 : deviceIds.size()));
        }
        Duration lookBack;
        try {
            lookBack = Duration.parse(within);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("within must be an ISO-8601 duration such as P1D or PT6H, got '" + within
                    + "'");
        }
        if (lookBack.isNegative() || lookBack.isZero() || lookBack.compareTo(MAX_SERIES_RANGE) > 0) {
            throw new BadRequestException("within must be more than 0 and at most " + MAX_SERIES_RANGE.toDays()
                    + " days, got " + within);
        }
        scope.requireDevices(deviceIds);
        return queries.latest(deviceIds, lookBack);
    }

    /** {@code ?areaId=&per=hour|day&from=&to=}: alerts opened and resolved under an area (any level), by kind. */
    @GET
    @Path("/aggregates/alerts")
    public List<TimeSeriesQueries.AlertCounts> alerts(@QueryParam("areaId") String areaId,
                                                      @QueryParam("per") @DefaultValue("hour") String per,
                                                      @QueryParam("from") String from, @QueryParam("to") String to)
            throws SQLException {
        boolean daily = switch (per) {
            case "hour" -> false;
            case "day" -> true;
            default -> throw new BadRequestException("per must be hour or day, got '" + per + "'");
        };
        Range range = Range.of(from, to, Duration.ofDays(daily ? 30 : 1), MAX_STATS_RANGE);
        return queries.alertCounts(scope.area(areaId), daily, range.from(), range.to());
    }

    /** {@code ?areaId=&from=&to=}: task stages ended under an area per day: counts, on time, mean and longest. */
    @GET
    @Path("/aggregates/task-stages")
    public List<TimeSeriesQueries.StageTimes> taskStages(@QueryParam("areaId") String areaId,
                                                         @QueryParam("from") String from, @QueryParam("to") String to)
            throws SQLException {
        Range range = Range.of(from, to, Duration.ofDays(30), MAX_STATS_RANGE);
        return queries.stageTimes(scope.area(areaId), range.from(), range.to());
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(name + " is required");
        }
        return value.strip();
    }
}
