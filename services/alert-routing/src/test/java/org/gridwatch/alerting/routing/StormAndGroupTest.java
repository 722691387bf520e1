package org.gridwatch.alerting.routing;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.gridwatch.alerting.api.TestApi;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Storm control and grouping, on a clock the test moves on, against a real PostgreSQL and a real webhook receiver
 * (storm limit 20 alerts per community in a 15 s window in tests): a power cut takes 25 devices of
 * a building offline at once; the first 20 are told, the rest are recorded and summed up in one
 * storm alert, told once; a fire in the middle of the storm is still told on its own; the
 * building's offline alerts show as one group with its count; once the community has been quiet
 * for a window, the storm alert resolves.
 */
@QuarkusTest
class StormAndGroupTest extends ClockedTest {

    /** The storm window of the tests (application.properties). */
    private static final Duration STORM_WINDOW = ofSeconds(15);

    @Test
    void aFloodBecomesOneSummaryAlertThatEndsWhenTheCommunityIsQuiet() throws Exception {
        TestApi api = new TestApi(apiUrl);
        Location place = TestApi.newPlace();
        Location neighbour = place.toBuilder().setBuildingId(place.getBuildingId() + "-2")
                .setUnitId(place.getUnitId() + "-2").build();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String channel = "hook-" + UUID.randomUUID();
            api.ok("PUT", "/routing/channels/" + channel, "{\"type\":\"webhook\",\"target\":\"%s\"}"
                    .formatted(receiver.url()));
            api.ok("PUT", "/routing/policies/p-" + UUID.randomUUID(), """
                    {"priority":1,"areaId":"%s","kinds":["device.*","fire.*","alert.storm"],"level":"grid",
                     "channels":["%s"]}""".formatted(place.getCommunityId(), channel));
            List<AlertEvent> offline = new ArrayList<>();
            List<AlertEvent> fire = new ArrayList<>();

            // A power cut takes 25 devices of a building and 2 of its neighbour offline, with a fire among them.
            for (int i = 0; i < 25; i++) {
                offline.add(TestApi.open(alerts, "device.offline", Severity.WARNING, place));
                if (i == 22) {
                    fire.add(TestApi.open(alerts, "fire.smoke", Severity.CRITICAL, place));
                }
            }
            offline.add(TestApi.open(alerts, "device.offline", Severity.WARNING, neighbour));
            offline.add(TestApi.open(alerts, "device.offline", Severity.WARNING, neighbour));
            await("20 offline alerts, the fire and one storm told").atMost(ofSeconds(10))
                    .until(() -> receiver.requests().size() >= 22);

            String storm = offline.get(20).getSummarizedBy();
            assertThat(storm).as("the 21st alert is summed up").isNotEmpty();
            assertThat(offline.subList(0, 20)).allSatisfy(a -> assertThat(a.getSummarizedBy()).isEmpty());
            assertThat(offline.subList(20, 27)).allSatisfy(a -> assertThat(a.getSummarizedBy()).isEqualTo(storm));
            assertThat(offline.subList(20, 27)).as("no task for each summed-up alert")
                    .allSatisfy(a -> assertThat(a.getDispatch()).isFalse());
            assertThat(fire.get(0).getSummarizedBy()).as("a storm never swallows a CRITICAL alert").isEmpty();
            JsonNode summary = api.get("/alerts/" + storm);
            assertThat(summary.get("kind").asText()).isEqualTo("alert.storm");
            assertThat(summary.get("subjectId").asText()).isEqualTo("storm:" + place.getCommunityId());
            assertThat(summary.get("repeatCount").asInt()).isEqualTo(7);
            assertThat(summary.get("summary").asText()).startsWith("Alert storm in " + place.getCommunityId());
            Thread.sleep(1_000);
            assertThat(reasons(receiver)).as("20 offline, the fire, the storm once; not 27 offline pages")
                    .hasSize(22).filteredOn(r -> r.equals("OPENED alert.storm")).hasSize(1);

            JsonNode groups = api.get("/alerts/groups?areaId=" + place.getCommunityId() + "&kind=device.offline");
            assertThat(groups).hasSize(2);
            assertThat(groups.get(1).get("areaId").asText()).isEqualTo(place.getBuildingId());
            assertThat(groups.get(1).get("alertCount").asInt()).isEqualTo(25);
            assertThat(groups.get(1).get("activeCount").asInt()).isEqualTo(25);
            assertThat(groups.get(0).get("areaId").asText()).isEqualTo(neighbour.getBuildingId());
            assertThat(groups.get(0).get("alertCount").asInt()).isEqualTo(2);
            assertThat(api.get("/alerts/" + offline.get(3).getAlertId()).get("groupId").asText())
                    .isEqualTo(groups.get(1).get("groupId").asText());

            // To a second before the storm has been quiet for a whole window, then past it.
            Instant lastSeen = Instant.parse(api.get("/alerts/" + storm).get("lastSeen").asText());
            clock.advance(Duration.between(clock.instant(), lastSeen.plus(STORM_WINDOW).minusSeconds(1)));
            timer.tick();
            assertThat(api.get("/alerts/" + storm).get("state").asText()).as("a storm quiet for less than a window")
                    .isEqualTo("OPEN");
            clock.advance(ofSeconds(2));
            timer.tick();
            assertThat(api.get("/alerts/" + storm).get("state").asText()).as("the storm over after a quiet window")
                    .isEqualTo("RESOLVED");
            await("those told of the storm told it is over").atMost(ofSeconds(10))
                    .until(() -> reasons(receiver).contains("RESOLVED alert.storm"));
            assertThat(api.get("/alerts/" + storm).get("resolvedBy").asText()).isEqualTo("system:auto-clear");
        }
    }

    private static List<String> reasons(WebhookReceiver receiver) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (WebhookReceiver.Request request : receiver.requests()) {
            JsonNode message = TestApi.JSON.readTree(request.body());
            reasons.add(message.get("reason").asText() + " " + message.at("/alert/kind").asText());
        }
        return reasons;
    }
}
