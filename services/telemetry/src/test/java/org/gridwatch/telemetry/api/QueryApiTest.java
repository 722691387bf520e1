package org.gridwatch.telemetry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.telemetry.store.PlainPostgresJobs;
import org.gridwatch.telemetry.store.TimeSeriesStore;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The query API over stored time series, against the real PostgreSQL: what a chart, an export and
 * a supervisor's figures get, and what bad requests get.
 */
@QuarkusTest
@QuarkusTestResource(GridWatchInfrastructureResource.class)
class QueryApiTest {

    /** TimescaleDB's time_bucket origin, which the plain-PostgreSQL stand-in keeps. */
    private static final Instant ORIGIN = Instant.parse("2000-01-03T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @Inject
    TimeSeriesStore store;

    @Inject
    PlainPostgresJobs jobs;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(root.resolve(path))
                .header("Authorization", Tokens.bearer(Tokens.testPerson("test-reader", "operator administrator", null))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Reading reading(String device, int i, Instant at, double heartRate) {
        return Reading.newBuilder().setDeviceId(device).setEventId(device + "-" + i).setObservedAt(Timestamps.of(at))
                .putValues("heartRate", heartRate).putValues("inBed", 1).build();
    }

    @Test
    void aLongSeriesIsDownsampledToAtMostThePointsAskedForKeepingTheExtremesOfEveryBucket() throws Exception {
        String device = "mat-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.SECONDS);
        List<Reading> readings = new ArrayList<>();
        Map<Instant, Double> truth = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            Instant at = start.plusSeconds(i);
            double value = 60 + 10 * Math.sin(i / 300.0) + (i == 4_321 ? 140 : 0) - (i == 7_777 ? 55 : 0);
            readings.add(reading(device, i, at, value));
            truth.put(at, value);
        }
        assertThat(store.writeReadings(readings)).isEmpty();
        String range = "from=" + start + "&to=" + start.plusSeconds(10_000);

        JsonNode series = json("/api/v1/devices/" + device + "/series?metric=heartRate&points=100&" + range);

        JsonNode points = series.get("points");
        assertThat(points.size()).isLessThanOrEqualTo(100).isGreaterThan(90);
        long bucket = series.get("bucketSeconds").asLong();
        Map<Long, List<Double>> returnedByBucket = new TreeMap<>();
        for (JsonNode point : points) {
            Instant t = Instant.parse(point.get("t").asText());
            assertThat(truth).as("a returned point is a real reading").containsEntry(t, point.get("v").asDouble());
            returnedByBucket.computeIfAbsent(bucketOf(t, bucket), b -> new ArrayList<>()).add(point.get("v").asDouble());
        }
        Map<Long, double[]> extremes = new TreeMap<>();
        truth.forEach((t, v) -> extremes.merge(bucketOf(t, bucket), new double[] {v, v},
                (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
        assertThat(returnedByBucket.keySet()).isEqualTo(extremes.keySet());
        extremes.forEach((b, lowHigh) -> assertThat(returnedByBucket.get(b)).as("bucket " + b)
                .contains(lowHigh[0], lowHigh[1]));
        List<Double> values = points.findValues("v").stream().map(JsonNode::asDouble).toList();
        assertThat(values).as("the one-second spike and the one-second dip survive")
                .contains(truth.get(start.plusSeconds(4_321)), truth.get(start.plusSeconds(7_777)));

        JsonNode raw = json("/api/v1/devices/" + device + "/series?metric=heartRate&points=10000&" + range);
        assertThat(raw.get("bucketSeconds").isNull()).isTrue();
        assertThat(raw.get("points").size()).isEqualTo(10_000);
    }

    private static long bucketOf(Instant t, long bucketSeconds) {
        return Math.floorDiv(Duration.between(ORIGIN, t).getSeconds(), bucketSeconds);
    }

    @Test
    void latestValuesCsvExportAndTheAggregatesByArea() throws Exception {
        String a = "mat-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "mat-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(store.writeReadings(List.of(reading(a, 1, now.minusSeconds(60), 70), reading(a, 2, now.minusSeconds(30), 72),
                reading(b, 1, now.minusSeconds(45), 58)))).isEmpty();

        JsonNode latest = json("/api/v1/latest?deviceId=" + a + "&deviceId=" + b);
        assertThat(latest.size()).isEqualTo(4);
        assertThat(latest.findValues("deviceId").stream().map(JsonNode::asText)).containsOnly(a, b);
        for (JsonNode value : latest) {
            if (value.get("deviceId").asText().equals(a) && value.get("metric").asText().equals("heartRate")) {
                assertThat(value.get("value").asDouble()).isEqualTo(72);
            }
        }

        HttpResponse<String> csv = get("/api/v1/devices/" + a + "/readings.csv?from=" + now.minusSeconds(120) + "&to="
                + now);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body().lines().toList()).containsExactly("observed_at,metric,value,event_id,received_at",
                now.minusSeconds(60) + ",heartRate,70.0," + a + "-1,", now.minusSeconds(60) + ",inBed,1.0," + a + "-1,",
                now.minusSeconds(30) + ",heartRate,72.0," + a + "-2,", now.minusSeconds(30) + ",inBed,1.0," + a + "-2,");

        String community = "c-" + UUID.randomUUID().toString().substring(0, 8);
        Location place = Location.newBuilder().setDistrictId("d").setStreetId("s").setCommunityId(community)
                .setGridId(community + "-g1").build();
        List<AlertEvent> alerts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alerts.add(AlertEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setAlertId("al-" + i)
                    .setType(i < 2 ? AlertEvent.Type.TYPE_OPENED : AlertEvent.Type.TYPE_RESOLVED).setKind("fire.smoke")
                    .setSeverity(Severity.CRITICAL).setState(AlertEvent.State.STATE_OPEN).setLocation(place)
                    .setOccurredAt(Timestamps.of(now.minusSeconds(600))).build());
        }
        assertThat(store.writeAlertEvents(alerts)).isEmpty();
        List<TaskEvent> stages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stages.add(TaskEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTaskId("t-" + i)
                    .setType(TaskEvent.Type.TYPE_ACCEPTED).setState(TaskEvent.State.STATE_ACCEPTED).setLocation(place)
                    .setOccurredAt(Timestamps.of(now.minusSeconds(600))).setStage("accept").setStageSeconds(30 * (i + 1))
                    .setStageOnTime(i < 3).build());
        }
        assertThat(store.writeTaskEvents(stages)).isEmpty();
        jobs.refreshAll();

        JsonNode counts = json("/api/v1/aggregates/alerts?areaId=" + community + "&per=day");
        assertThat(counts.size()).isEqualTo(1);
        assertThat(counts.get(0).get("kind").asText()).isEqualTo("fire.smoke");
        assertThat(counts.get(0).get("opened").asLong()).isEqualTo(2);
        assertThat(counts.get(0).get("resolved").asLong()).isEqualTo(1);
        JsonNode stageTimes = json("/api/v1/aggregates/task-stages?areaId=" + community + "-g1");
        assertThat(stageTimes.size()).isEqualTo(1);
        assertThat(stageTimes.get(0).get("ended").asLong()).isEqualTo(4);
        assertThat(stageTimes.get(0).get("onTime").asLong()).isEqualTo(3);
        assertThat(stageTimes.get(0).get("meanSeconds").asDouble()).isEqualTo(75.0);
        assertThat(stageTimes.get(0).get("maxSeconds").asDouble()).isEqualTo(120.0);
    }

    @Test
    void badQueriesAreRefusedWithTheReason() throws Exception {
        Map<String, String> refusals = Map.of(
                "/api/v1/devices/x/series?metric=heartRate&points=2", "points must be between 4",
                "/api/v1/devices/x/series?points=100", "metric is required",
                "/api/v1/devices/x/series?metric=m&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from must be before to",
                "/api/v1/devices/x/series?metric=m&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "at most 31 days",
                "/api/v1/devices/x/stats?metric=m&resolution=second", "resolution must be minute or hour",
                "/api/v1/aggregates/alerts?per=week", "per must be hour or day",
                "/api/v1/latest?deviceId=a&within=yesterday", "within must be an ISO-8601 duration",
                "/api/v1/latest", "Give between 1 and 1000 deviceId",
                "/api/v1/devices/x/readings?from=noon", "ISO-8601 instant");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> response = get(refusal.getKey());
            assertThat(response.statusCode()).as(refusal.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("detail").asText()).as(refusal.getKey())
                    .contains(refusal.getValue());
        }
    }
}
