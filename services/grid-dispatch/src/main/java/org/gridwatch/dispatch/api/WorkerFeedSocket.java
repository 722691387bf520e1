package org.gridwatch.dispatch.api;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * The phone's live connection: {@code ws(s)://.../api/v1/me/tasks/live}, with the worker named by
 * the {@code X-GridWatch-Worker} header of the upgrade request (set by the sign-in gateway); a
 * request without it is refused with 401 before the upgrade. What it sends: {@link WorkerFeed}.
 */
@WebSocket(path = "/api/v1/me/tasks/live")
public class WorkerFeedSocket {

    @Inject
    WorkerFeed feed;

    @OnOpen
    void open(WebSocketConnection phone) {
        feed.connect(workerOf(phone), phone);
    }

    @OnClose
    void close(WebSocketConnection phone) {
        feed.disconnect(workerOf(phone), phone);
    }

    private static String workerOf(WebSocketConnection phone) {
        return phone.handshakeRequest().header(Identity.WORKER).strip();
    }

    /** Refuses the upgrade of a request that does not say which worker is asking. */
    @ApplicationScoped
    public static class RequireWorker implements HttpUpgradeCheck {

        @Override
        public Uni<CheckResult> perform(HttpUpgradeContext context) {
            String worker = context.httpRequest().getHeader(Identity.WORKER);
            if (worker == null || worker.isBlank()) {
                return CheckResult.rejectUpgrade(401, Map.of("X-GridWatch-Problem",
                        List.of("The " + Identity.WORKER + " header must name who is asking (set by the sign-in gateway)")));
            }
            return CheckResult.permitUpgrade();
        }
    }
}
