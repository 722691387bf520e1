package org.gridwatch.alerting.api;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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

import org.gridwatch.alerting.store.AlertFeed;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The live feed of alert events for an operator's console, as server-sent events: each event's id
 * is its position; a client that reconnects sends the last id it saw ({@code Last-Event-ID}, as
 * browsers do, or {@code ?after=}) and gets everything it missed, once and in order. Filtered by
 * the operator's area ({@code ?areaId=}, any level).
 */
@Path("/api/v1/alerts/feed")
public class AlertFeedResource {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final int BATCH = 500;

    @Inject
    AlertFeed feed;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @QueryParam("areaId") String areaId,
                                          @QueryParam("after") String after,
                                          @HeaderParam("Last-Event-ID") String lastEventId) throws SQLException {
        String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : after;
        AtomicLong position = new AtomicLong(given == null ? feed.latest() : position(given));
        String area = areaId == null || areaId.isBlank() ? null : areaId.strip();
        return Multi.createFrom().ticks().every(POLL).onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToIterable(tick -> next(position, area))
                .map(event -> sse.newEventBuilder().id(String.valueOf(event.position())).name("alert-event")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(AlertFeed.FeedEvent.class, event).build());
    }

    private List<AlertFeed.FeedEvent> next(AtomicLong position, String areaId) {
        try {
            List<AlertFeed.FeedEvent> events = feed.after(position.get(), areaId, BATCH);
            if (!events.isEmpty()) {
                position.set(events.get(events.size() - 1).position());
            }
            return events;
        } catch (SQLException e) {
            // The database is away for a moment: the client keeps its position and the next poll retries.
            return List.of();
        }
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
