package org.gridwatch.alerting.api;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.gridwatch.alerting.domain.Level;
import org.gridwatch.alerting.store.AlertFeed;
import org.gridwatch.registryview.RegistryViewBean;

import io.smallrye.mutiny.Multi;

/**
 * The live feed of alert events for an operator's console, as server-sent events: each event's id
 * is its position; a client that reconnects sends the last id it saw ({@code Last-Event-ID}, as
 * browsers do, or {@code ?after=}) and gets everything it missed, once and in order. Filtered by
 * the operator's area ({@code ?areaId=}, any level) and console level ({@code ?level=}, else the
 * area's): a street's console sees the alerts its policy shows at street level and those that
 * escalated to it. Events are pushed as they commit ({@link LiveFeed}).
 */
@Path("/api/v1/alerts/feed")
public class AlertFeedResource {

    @Inject
    AlertFeed feed;

    @Inject
    LiveFeed live;

    @Inject
    RegistryViewBean registry;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @QueryParam("areaId") String areaId,
                                          @QueryParam("level") String level, @QueryParam("after") String after,
                                          @HeaderParam("Last-Event-ID") String lastEventId) throws SQLException {
        String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : after;
        long position = given == null ? feed.latest() : position(given);
        String area = areaId == null || areaId.isBlank() ? null : areaId.strip();
        return live.subscribe(position, area, consoleLevel(level, area))
                .map(event -> sse.newEventBuilder().id(String.valueOf(event.position())).name("alert-event")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(AlertFeed.FeedEvent.class, event).build());
    }

    /**
     * The level of the console: as given, else the level of its area in the registry (a district's
     * console sees what has reached the district); a console of an unknown area sees every level.
     */
    private Level consoleLevel(String level, String areaId) {
        if (level != null && !level.isBlank()) {
            return Level.parse(level).orElseThrow(() -> new BadRequestException(
                    "level must be one of grid, community, street, district; got '" + level + "'"));
        }
        if (areaId == null) {
            return null;
        }
        return registry.state().area(areaId).flatMap(area -> Level.of(area.getLevel())).orElse(null);
    }

    private static long position(String value) {
        try {
            long position = Long.parseLong(value.strip());
            if (position < 0) {
                throw new NumberFormatException();
            }
            return position;
        } catch (NumberFormatException e) {
            throw new BadRequestException("A feed position is the id of the last event seen, a whole number; got '"
                    + value + "'");
        }
    }
}
