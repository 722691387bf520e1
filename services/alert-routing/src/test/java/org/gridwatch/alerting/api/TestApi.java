package org.gridwatch.alerting.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.testsupport.Tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The alert-routing API as a test calls it (JSON over HTTP), and detections applied as the consumer would. */
public final class TestApi {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI api;

    public TestApi(URI api) {
        this.api = api;
    }

    /**
     * The console's person in these tests, with every console role and the administrator's reach
     * (each test makes up places of its own, in no one's area); AreaScopeTest holds operators to theirs.
     */
    public static final String OPERATOR = "test-op-17";

    /** Authorization of the tests' console person. */
    public static String authorization() {
        return Tokens.bearer(Tokens.testPerson(OPERATOR, "operator dispatcher supervisor administrator", null));
    }

    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", authorization());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** PUT or POST that must succeed; returns the parsed answer. */
    public JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    public JsonNode get(String path) throws Exception {
        return ok("GET", path, null);
    }

    /** A raised detection of a new subject, applied as the detection consumer would. */
    public static AlertEvent open(DetectionApplier alerts, String kind, Severity severity, Location location)
            throws Exception {
        String subject = "dev-" + UUID.randomUUID();
        Detection detection = Detection.newBuilder().setDetectionId(subject + ":1").setPhase(Detection.Phase.RAISED)
                .setKind(kind).setSeverity(severity).setSubjectId(subject).setDeviceId(subject)
                .setDetectedAt(Timestamps.of(Instant.now())).setSummary(kind + " at " + location.getBuildingId())
                .build();
        return alerts.apply(detection, location).orElseThrow();
    }

    /** A place in a hierarchy of its own, so that tests keep out of each other's way. */
    public static Location newPlace() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return Location.newBuilder().setDistrictId("d-" + run).setStreetId("s-" + run).setCommunityId("c-" + run)
                .setGridId("g-" + run).setBuildingId("b-" + run).setUnitId("u-" + run).build();
    }
}
