package org.gridwatch.dispatch.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.gridwatch.plumbing.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The phone's live connection: {@code ws(s)://.../api/v1/me/tasks/live}. The upgrade request
 * carries the worker's bearer token (in the {@code Authorization} header, or, from a browser that
 * cannot set one, in the {@code Sec-WebSocket-Protocol} header as {@code bearer-token-carrier,
 * quarkus-http-upgrade#Authorization#Bearer <token>}); without a valid token of a grid worker the
 * upgrade is refused (401, 403). The worker is the token's subject. What it sends: {@link WorkerFeed}.
 */
@WebSocket(path = "/api/v1/me/tasks/live")
@RolesAllowed(Roles.GRID_WORKER)
public class WorkerFeedSocket {

    @Inject
    WorkerFeed feed;

    @Inject
    SecurityIdentity identity;

    @OnOpen
    void open(WebSocketConnection phone) {
        feed.connect(identity.getPrincipal().getName(), phone);
    }

    @OnClose
    void close(WebSocketConnection phone) {
        feed.disconnect(identity.getPrincipal().getName(), phone);
    }
}
