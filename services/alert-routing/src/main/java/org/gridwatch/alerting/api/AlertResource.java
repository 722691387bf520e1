package org.gridwatch.alerting.api;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.store.AlertStore;

import io.smallrye.common.annotation.Blocking;

/** Alerts for operators' consoles: list with filters, and one alert by id. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AlertResource {

    private static final Set<String> STATES = Set.of("OPEN", "ACKNOWLEDGED", "RESOLVED");
    private static final int MAX_LIMIT = 1000;

    @Inject
    AlertStore alerts;

    @GET
    public List<Alert> list(@QueryParam("state") String state, @QueryParam("kind") String kind,
                            @QueryParam("gridId") String gridId, @QueryParam("limit") @DefaultValue("100") int limit)
            throws SQLException {
        if (state != null && !STATES.contains(state)) {
            throw new BadRequestException("state must be one of " + STATES + ", got '" + state + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return alerts.list(state, kind, gridId, limit);
    }

    @GET
    @Path("/{id}")
    public Alert get(@PathParam("id") String id) throws SQLException {
        UUID alertId;
        try {
            alertId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Alert ids are UUIDs, got '" + id + "'");
        }
        return alerts.get(alertId).orElseThrow(() -> new NotFoundException("No alert " + id));
    }
}
