package org.gridwatch.console.board;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.console.api.ServiceUrls;
import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser's live feed: alert-routing's server-sent events, relayed as they come with the
 * person's token. A browser's EventSource cannot send an Authorization header, so it comes here
 * with the session cookie, and the console opens the feed for it. The position a browser sends
 * when it reconnects ({@code Last-Event-ID}) is passed on, so it gets what it missed, in order.
 *
 * <p>When the feed cannot be opened or ends, the browser is told to come back shortly (an event
 * stream that ends, not an error status, which a browser would not retry), and the page says
 * "reconnecting" meanwhile. A session whose token the service no longer takes gets a
 * {@code signed-out} event, on which the page reloads and so signs in again.
 */
@ApplicationScoped
public class FeedRelay {

    public static final String PATH = "/board/feed";
    private static final Logger LOG = Logger.getLogger(FeedRelay.class);
    private static final int RETRY_MILLIS = 2_000;
    /**
     * Every level of the person's area: the board lists all their area's open alerts (the list API
     * is not cut by routing level), so it must hear of all of them, not only of those routed to
     * the level of its area (a WARNING stays at grid level unless it escalates).
     */
    private static final String FEED = "/api/v1/alerts/feed?level=grid";

    @Inject
    ServiceUrls urls;

    @Inject
    Vertx vertx;

    private HttpClient client;

    void routes(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(3_000).setMaxPoolSize(1_000)
                .setKeepAlive(false));
        router.get(PATH).handler(this::relay);
    }

    private void relay(RoutingContext context) {
        HttpServerResponse browser = context.response();
        SecurityIdentity identity = ((QuarkusHttpUser) context.user()).getSecurityIdentity();
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        RequestOptions upstream = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(urls.alertRoutingUrl() + FEED)
                .putHeader("Authorization", "Bearer " + token.getToken())
                .putHeader("Accept", "text/event-stream");
        String lastEventId = context.request().getHeader("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            upstream.putHeader("Last-Event-ID", lastEventId);
        }
        browser.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        client.request(upstream).onSuccess(request -> {
            browser.closeHandler(closed -> request.reset());
            request.send().onSuccess(feed -> {
                if (feed.statusCode() == 401) {
                    endWith(browser, "event: signed-out\ndata: {}\n\n");
                    request.reset();
                } else if (feed.statusCode() != 200) {
                    LOG.warnf("The alert feed refused the console: HTTP %d", feed.statusCode());
                    endWith(browser, "");
                    request.reset();
                } else {
                    feed.handler(browser::write);
                    feed.endHandler(ended -> endWith(browser, ""));
                    feed.exceptionHandler(failed -> endWith(browser, ""));
                }
            }).onFailure(failed -> endWith(browser, ""));
        }).onFailure(failed -> {
            LOG.debugf("The alert feed cannot be reached: %s", failed.getMessage());
            endWith(browser, "");
        });
    }

    /** Ends the browser's stream, telling it to come back in a moment. */
    private static void endWith(HttpServerResponse browser, String last) {
        if (!browser.ended() && !browser.closed()) {
            browser.end("retry: " + RETRY_MILLIS + "\n\n" + last);
        }
    }
}
