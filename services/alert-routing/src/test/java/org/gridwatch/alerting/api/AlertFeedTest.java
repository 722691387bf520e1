package org.gridwatch.alerting.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.gridwatch.alerting.store.AlertFeed;
import org.gridwatch.alerting.store.AlertStore;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The operators' live feed over server-sent events, against a real PostgreSQL: a console of one
 * building that disconnects for 10 s during a burst gets, on reconnecting with the last id it saw,
 * every event it missed, once and in order, and nothing of other buildings.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class AlertFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1/alerts/feed")
    URI feedUrl;

    @Inject
    AlertStore alerts;

    @Inject
    AlertFeed feed;

    /** A connected console: the events it has received, as (id, data) pairs. */
    private final class Console implements AutoCloseable {
        final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final Stream<String> lines;

        Console(String building, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(feedUrl + "?areaId=" + building))
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            lines = http.send(request.build(), HttpResponse.BodyHandlers.ofLines()).body();
            Thread reader = new Thread(() -> {
                String id = null;
                try {
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (line.startsWith("id:")) {
                            id = line.substring(3).strip();
                        } else if (line.startsWith("data:")) {
                            JsonNode data = JSON.readTree(line.substring(5).strip());
                            assertThat(data.get("position").asText()).isEqualTo(id);
                            events.add(data);
                        }
                    }
                } catch (Exception | AssertionError e) {
                    // Closed by the test: the console is gone.
                }
            }, "console");
            reader.setDaemon(true);
            reader.start();
        }

        List<JsonNode> take(int count) throws InterruptedException {
            List<JsonNode> taken = new ArrayList<>();
            while (taken.size() < count) {
                JsonNode event = events.poll(20, TimeUnit.SECONDS);
                assertThat(event).as("event %d of %d", taken.size() + 1, count).isNotNull();
                taken.add(event);
            }
            return taken;
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    private String open(String building) throws Exception {
        String subject = "dev-" + UUID.randomUUID();
        Detection detection = Detection.newBuilder().setDetectionId(subject + ":1").setPhase(Detection.Phase.RAISED)
                .setKind("elevator.trapped").setSeverity(Severity.CRITICAL).setSubjectId(subject).setDeviceId(subject)
                .setDetectedAt(Timestamps.of(Instant.now())).setSummary("test").build();
        return alerts.apply(detection, Location.newBuilder().setBuildingId(building).build()).orElseThrow().getAlertId();
    }

    @Test
    void aConsoleThatDisconnectsDuringABurstGetsEveryMissedEventOnceAndInOrder() throws Exception {
        String building = "b-" + UUID.randomUUID();
        String lastSeen;
        try (Console console = new Console(building, null)) {
            Thread.sleep(500);
            for (int i = 0; i < 5; i++) {
                open(building);
            }
            List<JsonNode> first = console.take(5);
            assertThat(first).allSatisfy(e -> assertThat(e.get("type").asText()).isEqualTo("OPENED"));
            lastSeen = first.get(4).get("position").asText();
        }

        long burstStart = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            UUID alertId = UUID.fromString(open(building));
            alerts.acknowledge(alertId, "op-17", null);
            alerts.comment(alertId, "op-17", "on it " + i);
            open("b-" + UUID.randomUUID());
        }
        Thread.sleep(Math.max(0, 10_000 - (System.nanoTime() - burstStart) / 1_000_000));

        List<String> expected = feed.after(Long.parseLong(lastSeen), building, null, 1000).stream()
                .map(e -> e.eventId().toString()).toList();
        assertThat(expected).hasSize(30);
        try (Console console = new Console(building, lastSeen)) {
            List<JsonNode> missed = console.take(30);
            assertThat(missed).extracting(e -> e.get("eventId").asText()).containsExactlyElementsOf(expected);
            assertThat(missed).extracting(e -> e.get("type").asText()).startsWith("OPENED", "ACKNOWLEDGED", "COMMENTED");
            assertThat(console.events.poll(1, TimeUnit.SECONDS)).as("nothing twice").isNull();
        }
    }
}
