package org.gridwatch.detection.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.detection.backtest.RecordedReadings;
import org.gridwatch.detection.backtest.Replay;
import org.gridwatch.detection.config.DetectionConfig;
import org.gridwatch.plumbing.api.Problem;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;
import org.gridwatch.registryview.RuleValidation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;

import io.smallrye.common.annotation.Blocking;

/**
 * Back-test: runs a rule set (new, changed, or the one in force) over the readings recorded for an
 * area and a time range, and reports what it would have raised, without raising anything.
 *
 * <pre>
 * POST /api/v1/backtest
 * {"areaId": "lf-c1", "from": "2026-11-20T00:00:00Z", "to": "2026-11-27T00:00:00Z",
 *  "rules": [ ...Rule JSON... ]}        (omit "rules" to back-test the rules in force)
 * </pre>
 */
@Path("/api/v1/backtest")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.INTEGRATOR, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
public class BackTestResource {

    /** The caller's token, passed on to telemetry: the readings are fetched on their behalf. */
    @Inject
    JsonWebToken token;

    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final int MAX_DEVICES = 1_000;
    static final int MAX_READINGS = 2_000_000;

    @Inject
    RegistryViewBean registry;

    @Inject
    DetectionConfig config;

    @POST
    public Response backTest(String body) throws IOException, InterruptedException {
        JsonObject request;
        try {
            request = JsonParser.parseString(body).getAsJsonObject();
        } catch (JsonSyntaxException | IllegalStateException e) {
            return problem("The body must be a JSON object: " + e.getMessage());
        }
        Instant from;
        Instant to;
        try {
            from = Instant.parse(string(request, "from"));
            to = Instant.parse(string(request, "to"));
        } catch (DateTimeParseException | NullPointerException e) {
            return problem("from and to must be ISO-8601 instants such as 2026-11-27T08:00:00Z");
        }
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            return problem("from must be before to, and the range at most " + MAX_RANGE.toDays() + " days");
        }
        String areaId = string(request, "areaId");
        RegistryState live = registry.state();
        if (areaId == null || live.area(areaId).isEmpty()) {
            return problem("areaId must name an area of the registry, got " + areaId);
        }

        Collection<Rule> rules = live.rules();
        if (request.has("rules")) {
            List<Rule> candidates = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            Map<String, SensorType> catalog = live.sensorTypes().stream()
                    .collect(Collectors.toMap(SensorType::getName, t -> t));
            JsonArray array = request.getAsJsonArray("rules");
            for (int i = 0; i < array.size(); i++) {
                try {
                    Rule rule = ProtoJson.mergeJson(array.get(i).toString(), Rule.newBuilder()).build();
                    int index = i;
                    RuleValidation.problems(rule, catalog).forEach(p -> problems.add("rules[" + index + "]." + p));
                    candidates.add(rule);
                } catch (PayloadException e) {
                    problems.add("rules[" + i + "]: " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                return problem(String.join("; ", problems));
            }
            rules = candidates;
        }

        List<Device> devices = live.devices().stream().filter(d -> live.isWithin(d.getAreaId(), areaId)).toList();
        if (devices.size() > MAX_DEVICES) {
            return problem(devices.size() + " devices in " + areaId + ": choose an area with at most " + MAX_DEVICES);
        }
        RecordedReadings recorded = new RecordedReadings(config.telemetryUrl(), token.getRawToken());
        List<Reading> readings = new ArrayList<>();
        for (Device device : devices) {
            readings.addAll(recorded.of(device.getId(), from, to, MAX_READINGS - readings.size()));
            if (readings.size() >= MAX_READINGS) {
                return problem("More than " + MAX_READINGS + " readings: narrow the range or the area");
            }
        }
        List<Detection> detections = Replay.run(config, live.withRules(rules), readings, from, to);
        return Response.ok(report(areaId, from, to, devices.size(), readings.size(), detections).toString()).build();
    }

    private static JsonObject report(String areaId, Instant from, Instant to, int devices, int readings,
                                     List<Detection> detections) {
        JsonObject report = new JsonObject();
        report.addProperty("areaId", areaId);
        report.addProperty("from", from.toString());
        report.addProperty("to", to.toString());
        report.addProperty("devices", devices);
        report.addProperty("readings", readings);
        Map<String, int[]> byRule = new TreeMap<>();
        JsonArray list = new JsonArray();
        for (Detection detection : detections) {
            int[] counts = byRule.computeIfAbsent(detection.getEvidence().getRuleId(), id -> new int[2]);
            counts[detection.getPhase() == Detection.Phase.RAISED ? 0 : 1]++;
            list.add(JsonParser.parseString(ProtoJson.toJson(detection)));
        }
        JsonObject rules = new JsonObject();
        byRule.forEach((id, counts) -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("raised", counts[0]);
            entry.addProperty("cleared", counts[1]);
            rules.add(id, entry);
        });
        report.add("byRule", rules);
        report.add("detections", list);
        return report;
    }

    private static String string(JsonObject json, String name) {
        JsonElement value = json.get(name);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    private static Response problem(String detail) {
        return new Problem(400, "Invalid back-test request", detail).toResponse();
    }
}
