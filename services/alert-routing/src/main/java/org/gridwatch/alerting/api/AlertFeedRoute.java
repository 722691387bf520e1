package org.gridwatch.alerting.api;

import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.alerting.domain.Level;
import org.gridwatch.alerting.store.AlertFeed;
import org.gridwatch.plumbing.api.Problem;
import org.gridwatch.plumbing.security.AccessRefusals;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.ForbiddenException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The live feed of alert events for an operator's console, as server-sent events: each event's id
 * is its position; a client that reconnects sends the last id it saw ({@code Last-Event-ID}, as
 * browsers do, or {@code ?after=}) and gets everything it missed, once and in order. Filtered by
 * the operator's area ({@code ?areaId=}, any level, within the area of their token; their own
 * area when not given) and console level ({@code ?level=}, else the
 * area's): a street's console sees the alerts its policy shows at street level and those that
 * escalated to it. Events are pushed as they commit ({@link LiveFeed}).
 *
 * <p>Written straight on Vert.x rather than as a REST resource: what the feed has for a console
 * goes out in one write, each event serialized once, where the REST layer would write, flush and
 * look up a serializer for every event (a fifth of the service's processor at 1,000 events/s).
 */
@ApplicationScoped
public class AlertFeedRoute {

    public static final String PATH = "/api/v1/alerts/feed";
    private static final Logger LOG = Logger.getLogger(AlertFeedRoute.class);
    /** How long a browser waits before it reconnects after losing the connection. */
    private static final int RETRY_MILLIS = 1_000;

    @Inject
    AlertFeed feed;

    @Inject
    LiveFeed live;

    @Inject
    RegistryViewBean registry;

    @Inject
    AccessRefusals refusals;

    @Inject
    ObjectMapper json;

    void routes(@Observes Router router) {
        // Blocking: where a console starts may need the database.
        router.get(PATH).blockingHandler(this::open, false);
    }

    private void open(RoutingContext request) {
        HttpServerResponse response = request.response();
        long position;
        String area;
        Level level;
        try {
            String lastEventId = request.request().getHeader("Last-Event-ID");
            String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : request.queryParams().get("after");
            // The HTTP layer has checked the token and the role; the area is the caller's, or within it.
            Caller caller = Caller.of(((QuarkusHttpUser) request.user()).getSecurityIdentity());
            area = caller.scopeArea(request.queryParams().get("areaId"), registry.state()::isWithin);
            level = consoleLevel(request.queryParams().get("level"), area);
            position = given == null ? feed.latest() : position(given);
        } catch (IllegalArgumentException e) {
            refuse(response, 400, "Invalid request", e.getMessage());
            return;
        } catch (ForbiddenException e) {
            refusals.counter(403).increment();
            refuse(response, 403, "Not allowed", e.getMessage());
            return;
        } catch (SQLException e) {
            LOG.warnf("Live feed cannot start: %s", e.getMessage());
            refuse(response, 503, "Feed not available", "The alert history cannot be read now; try again shortly");
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        // Sends the headers at once (a client waits for them) and tells browsers when to come back.
        response.write("retry: " + RETRY_MILLIS + "\n\n");
        Runnable unsubscribe = live.subscribe(position, area, level, new SseConnection(response));
        response.closeHandler(closed -> unsubscribe.run());
        response.exceptionHandler(failed -> unsubscribe.run());
        response.drainHandler(drained -> live.wakeUp());
        if (response.closed()) {
            unsubscribe.run(); // gone before the handlers were in place
        }
    }

    /** A console's connection: its events as server-sent events, all of a round in one write. */
    private final class SseConnection implements LiveFeed.Connection {
        private final HttpServerResponse response;

        SseConnection(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public boolean ready() {
            return !response.closed() && !response.writeQueueFull();
        }

        @Override
        public void send(List<AlertFeed.FeedEvent> events) {
            StringBuilder frames = new StringBuilder(events.size() * 640);
            for (AlertFeed.FeedEvent event : events) {
                frames.append("id: ").append(event.position()).append("\nevent: alert-event\ndata: ")
                        .append(serialize(event)).append("\n\n");
            }
            response.write(Buffer.buffer(frames.toString()));
        }

        @Override
        public void keepAlive() {
            response.write(": keep-alive\n\n");
        }

        @Override
        public void fail(RuntimeException cause) {
            response.reset();
        }
    }

    private String serialize(AlertFeed.FeedEvent event) {
        try {
            // Single line: JSON escapes the line breaks a note may hold, so one data field carries it.
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Alert event " + event.eventId() + " cannot be written as JSON", e);
        }
    }

    /**
     * The level of the console: as given, else the level of its area in the registry (a district's
     * console sees what has reached the district); a console of an unknown area sees every level.
     */
    private Level consoleLevel(String level, String areaId) {
        if (level != null && !level.isBlank()) {
            return Level.parse(level).orElseThrow(() -> new IllegalArgumentException(
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
            throw new IllegalArgumentException("A feed position is the id of the last event seen, a whole number; "
                    + "got '" + value + "'");
        }
    }

    /** A refusal as problem JSON, like every other refusal of the API. */
    private static void refuse(HttpServerResponse response, int status, String title, String detail) {
        response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(new Problem(status, title, detail).toJson());
    }
}
