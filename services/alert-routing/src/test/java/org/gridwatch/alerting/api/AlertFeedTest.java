package org.gridwatch.alerting.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.gridwatch.alerting.store.AlertActions;
import org.gridwatch.alerting.store.AlertFeed;
import org.gridwatch.alerting.store.AlertJournal;
import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The operators' live feed over server-sent events, against a real PostgreSQL: a console of one
 * building that disconnects for 10 s during a burst gets, on reconnecting with the last id it saw,
 * every event it missed, once and in order, and nothing of other buildings (the tests keep 20
 * events in memory, so this one reads them from the history); events another replica records
 * reach this replica's consoles in order; a feed asked for with a level or position that means
 * nothing is refused with the reason.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class AlertFeedTest {

    @TestHTTPResource("/api/v1/alerts/feed")
    URI feedUrl;

    @Inject
    DetectionApplier alerts;

    @Inject
    AlertActions actions;

    @Inject
    AlertFeed feed;

    @Inject
    DataSource dataSource;

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
        try (FeedConsole console = new FeedConsole(feedUrl + "?areaId=" + building, null)) {
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
            actions.acknowledge(alertId, "op-17", null);
            actions.comment(alertId, "op-17", "on it " + i);
            open("b-" + UUID.randomUUID());
        }
        Thread.sleep(Math.max(0, 10_000 - (System.nanoTime() - burstStart) / 1_000_000));

        List<String> expected = feed.after(Long.parseLong(lastSeen), building, null, 1000).stream()
                .map(e -> e.eventId().toString()).toList();
        assertThat(expected).hasSize(30);
        try (FeedConsole console = new FeedConsole(feedUrl + "?areaId=" + building, lastSeen)) {
            List<JsonNode> missed = console.take(30);
            assertThat(missed).extracting(e -> e.get("eventId").asText()).containsExactlyElementsOf(expected);
            assertThat(missed).extracting(e -> e.get("type").asText()).startsWith("OPENED", "ACKNOWLEDGED", "COMMENTED");
            assertThat(console.poll(1, TimeUnit.SECONDS)).as("nothing twice").isNull();
        }
    }

    @Test
    void eventsRecordedByAnotherReplicaReachTheConsolesOfThisOneInOrder() throws Exception {
        String building = "b-" + UUID.randomUUID();
        try (FeedConsole console = new FeedConsole(feedUrl + "?areaId=" + building, null)) {
            Thread.sleep(500);
            String alertId = open(building);
            JsonNode opened = console.take(1).get(0);
            assertThat(opened.get("type").asText()).isEqualTo("OPENED");

            UUID comment = commentAsAnotherReplica(UUID.fromString(alertId));
            JsonNode commented = console.take(1).get(0);
            assertThat(commented.get("eventId").asText()).isEqualTo(comment.toString());
            assertThat(commented.get("actor").asText()).isEqualTo("op-elsewhere");

            open(building);
            JsonNode second = console.take(1).get(0);
            assertThat(second.get("type").asText()).isEqualTo("OPENED");
            assertThat(List.of(opened, commented, second)).extracting(e -> e.get("position").asLong()).isSorted();
            assertThat(console.poll(1, TimeUnit.SECONDS)).as("nothing twice").isNull();
        }
    }

    /** Writes a comment the way another alert-routing replica would: under the journal lock, with its notification. */
    private UUID commentAsAnotherReplica(UUID alertId) throws Exception {
        UUID eventId = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement lock = connection.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(hashtextextended('gridwatch.alert-journal', 0)), "
                        + "pg_notify('" + AlertJournal.COMMIT_CHANNEL + "', 'another-replica')");
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO alerting.alert_history (event_id, alert_id, type, actor, occurred_at, state, severity,
                        note, level) VALUES (?, ?, 'COMMENTED', 'op-elsewhere', now(), 'OPEN', ?, 'on my way', 'grid')""")) {
                insert.setObject(1, eventId);
                insert.setObject(2, alertId);
                insert.setShort(3, (short) Severity.CRITICAL_VALUE);
                insert.executeUpdate();
            }
            connection.commit();
        }
        return eventId;
    }

    @Test
    void aFeedThatCannotBeServedIsRefusedWithTheReason() throws Exception {
        TestApi api = new TestApi(URI.create(feedUrl.toString().replace("/alerts/feed", "")));
        HttpResponse<String> badLevel = api.send("GET", "/alerts/feed?level=county", null);
        assertThat(badLevel.statusCode()).isEqualTo(400);
        assertThat(TestApi.JSON.readTree(badLevel.body()).get("detail").asText())
                .contains("grid, community, street, district").contains("county");

        HttpResponse<String> badPosition = api.send("GET", "/alerts/feed?after=yesterday", null);
        assertThat(badPosition.statusCode()).isEqualTo(400);
        assertThat(TestApi.JSON.readTree(badPosition.body()).get("detail").asText()).contains("'yesterday'");
    }

    @Test
    void theFeedIsOnlyForThoseWhoWatchAlerts() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(feedUrl).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> worker = http.send(HttpRequest.newBuilder(feedUrl).header("Accept", "text/event-stream")
                .header("Authorization", Tokens.bearer(Tokens.testPerson("test-w-feed", "grid-worker", null)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(worker.statusCode()).as("a grid worker has the task feed, not the alert feed").isEqualTo(403);
    }
}
