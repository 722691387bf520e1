package org.gridwatch.console.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.gridwatch.console.api.ServiceUrls;
import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The worker's live tasks on their phone: grid-dispatch's worker WebSocket, opened by the console
 * with the worker's token and relayed to the phone as server-sent events (one {@code task} event
 * per frame: the task as it is now). A phone that reconnects gets its open tasks again, as the
 * WebSocket sends them on connect; the page then fetches its list again.
 */
@ApplicationScoped
public class WorkerFeedRelay {

    public static final String PATH = "/worker/feed";
    private static final Logger LOG = Logger.getLogger(WorkerFeedRelay.class);
    private static final String SOCKET = "/api/v1/me/tasks/live";
    private static final int RETRY_MILLIS = 2_000;

    @Inject
    ServiceUrls urls;

    @Inject
    Vertx vertx;

    private WebSocketClient client;

    void routes(@Observes Router router) {
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(3_000)
                .setMaxConnections(1_000));
        router.get(PATH).handler(this::relay);
    }

    private void relay(RoutingContext context) {
        HttpServerResponse phone = context.response();
        AccessTokenCredential token = ((QuarkusHttpUser) context.user()).getSecurityIdentity()
                .getCredential(AccessTokenCredential.class);
        String url = urls.gridDispatchUrl().replaceFirst("^http", "ws") + SOCKET;
        phone.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        phone.write("retry: " + RETRY_MILLIS + "\n\n");
        client.connect(new WebSocketConnectOptions().setAbsoluteURI(url)
                .addHeader("Authorization", "Bearer " + token.getToken())).onSuccess(socket -> {
                    phone.closeHandler(closed -> socket.close());
                    socket.textMessageHandler(frame -> {
                        if (!phone.ended()) {
                            // One line: the frame is JSON, whose strings carry their line breaks escaped.
                            phone.write("event: task\ndata: " + frame.replace("\n", " ") + "\n\n");
                        }
                    });
                    socket.closeHandler(closed -> end(phone));
                    socket.exceptionHandler(failed -> end(phone));
                }).onFailure(failed -> {
                    LOG.debugf("The worker feed cannot be opened: %s", failed.getMessage());
                    end(phone);
                });
    }

    private static void end(HttpServerResponse phone) {
        if (!phone.ended() && !phone.closed()) {
            phone.end();
        }
    }
}
