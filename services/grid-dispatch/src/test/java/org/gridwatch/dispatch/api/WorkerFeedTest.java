package org.gridwatch.dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridwatch.dispatch.api.DispatchApi.json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Workers' phones on their live connection, against the real Kafka broker (the registry) and
 * PostgreSQL: what is pushed to whom, and when.
 */
@QuarkusTest
class WorkerFeedTest extends DispatchTest {

    private static final Duration PUSHED_WITHIN = Duration.ofSeconds(3);

    private final List<Phone> phones = new CopyOnWriteArrayList<>();

    @AfterEach
    void hangUp() {
        phones.forEach(phone -> phone.socket.abort());
    }

    /** A worker's phone connected to the live feed, keeping every frame it is sent. */
    private final class Phone implements WebSocket.Listener {
        final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Phone(String worker) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", Tokens.bearer(Tokens.testPerson(worker, "grid-worker", null)))
                    .buildAsync(live(), this).get(10, TimeUnit.SECONDS);
            phones.add(this);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(DispatchApi.JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new AssertionError("A frame that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** Waits for a frame about the task that matches, and returns it. */
        JsonNode await(String taskId, Predicate<JsonNode> what, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonNode frame : frames) {
                    if (frame.at("/task/taskId").asText().equals(taskId) && what.test(frame)) {
                        return frame;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("No such frame about task " + taskId + " within " + within + "; got " + frames);
        }

        List<String> eventsOf(String taskId) {
            return frames.stream().filter(f -> f.at("/task/taskId").asText().equals(taskId))
                    .map(f -> f.get("event").asText()).toList();
        }
    }

    private URI live() {
        return URI.create(root.toString().replaceFirst("^http", "ws")).resolve("/api/v1/me/tasks/live");
    }

    private static Predicate<JsonNode> event(String type) {
        return frame -> frame.get("event").asText().equals(type);
    }

    private JsonNode report(DispatchApi.Area2 area, String kind) throws Exception {
        return json(api.console("POST", "/api/v1/tasks", "hotline-desk-2", """
                {"channel": "hotline", "kind": "%s", "severity": "WARNING", "areaId": "%s",
                 "summary": "smoke seen from a window", "reportedBy": "caller 42"}""".formatted(kind, area.unit)), 201);
    }

    @Test
    void aNewTaskIsPushedAtOnceToItsWorkerOnlyAndADeclineMovesItToTheNextPhone() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String near = area.worker("near", area.g1, "fire");
        String other = area.worker("other", area.g1, "fire");
        area.publish(bootstrap, registry);
        json(api.worker("PUT", "/api/v1/me/status", near, "{\"latitude\": 31.2791, \"longitude\": 121.4531}"), 200);
        json(api.worker("PUT", "/api/v1/me/status", other, "{\"latitude\": 31.30, \"longitude\": 121.50}"), 200);
        Phone nearPhone = new Phone(near);
        Phone otherPhone = new Phone(other);

        String id = report(area, "fire.smoke").get("taskId").asText();

        JsonNode assigned = nearPhone.await(id, event("ASSIGNED"), PUSHED_WITHIN);
        assertThat(assigned.at("/task/workerId").asText()).isEqualTo(near);
        assertThat(assigned.at("/task/summary").asText()).isEqualTo("smoke seen from a window");
        assertThat(assigned.at("/task/dueAt").isMissingNode() || assigned.at("/task/dueAt").isNull()).isFalse();

        json(api.worker("POST", "/api/v1/me/tasks/" + id + "/decline", near, "{\"note\": \"at another emergency\"}"), 200);

        JsonNode moved = otherPhone.await(id, event("ASSIGNED"), PUSHED_WITHIN);
        assertThat(moved.at("/task/workerId").asText()).isEqualTo(other);
        nearPhone.await(id, event("DECLINED"), PUSHED_WITHIN);
        assertThat(otherPhone.eventsOf(id)).as("the other phone hears nothing of the task before it is theirs")
                .containsExactly("ASSIGNED");
        assertThat(nearPhone.eventsOf(id)).containsExactly("ASSIGNED", "DECLINED");
    }

    @Test
    void aPhoneThatConnectsGetsItsOpenTasksFirstThenTheirChanges() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String worker = area.worker("w", area.g1, "fire");
        area.publish(bootstrap, registry);
        String id = report(area, "fire.smoke").get("taskId").asText();

        Phone phone = new Phone(worker);

        JsonNode current = phone.await(id, event("CURRENT"), PUSHED_WITHIN);
        assertThat(current.at("/task/state").asText()).isEqualTo("ASSIGNED");
        json(api.console("POST", "/api/v1/tasks/" + id + "/cancel", "dispatcher-1",
                "{\"note\": \"a duplicate of another report\"}"), 200);
        JsonNode cancelled = phone.await(id, event("CANCELLED"), PUSHED_WITHIN);
        assertThat(cancelled.at("/task/state").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("note").asText()).isEqualTo("a duplicate of another report");
        assertThat(phone.eventsOf(id)).containsExactly("CURRENT", "CANCELLED");
    }

    @Test
    void aConnectionWithoutAWorkersTokenIsRefused() {
        CompletableFuture<WebSocket> anonymous = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(live(), new WebSocket.Listener() { });
        assertThatThrownBy(() -> anonymous.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));

        // A valid token, but not a grid worker's: an operator has no task feed.
        CompletableFuture<WebSocket> operator = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", Tokens.bearer(Tokens.testPerson("test-op-feed", "operator", null)))
                .buildAsync(live(), new WebSocket.Listener() { });
        assertThatThrownBy(() -> operator.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }
}
