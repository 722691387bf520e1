package org.gridwatch.telemetry.api;

import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.gridwatch.plumbing.api.Problem;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * On plain PostgreSQL the aggregates are materialized views that hold nothing until their first
 * refresh, a few seconds after start: a query then is told so (503, try again), not a server error.
 */
public class NotYetAggregated {

    private static final Logger LOG = Logger.getLogger(NotYetAggregated.class);

    /** PostgreSQL's "object not in prerequisite state": a materialized view not yet populated. */
    private static final String NOT_POPULATED = "55000";

    @ServerExceptionMapper
    public Response notYet(SQLException e) {
        if (!NOT_POPULATED.equals(e.getSQLState())) {
            LOG.errorf(e, "Reading the time series failed");
            return new Problem(500, "Storage error", "The readings could not be read; see the service's log")
                    .toResponse();
        }
        return Response.fromResponse(new Problem(503, "Figures not ready", "The aggregates are being computed for "
                + "the first time since the service started; try again in a few seconds").toResponse())
                .header("Retry-After", "5").build();
    }
}
