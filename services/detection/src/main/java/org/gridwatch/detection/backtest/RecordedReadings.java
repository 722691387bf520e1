package org.gridwatch.detection.backtest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Reading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Fetches a device's recorded readings from the telemetry service's API, page by page, with the
 * bearer token of the person who asked for the back-test: telemetry shows them what they may see.
 */
public final class RecordedReadings {

    private static final int PAGE = 10_000;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String telemetryUrl;
    private final String bearerToken;

    public RecordedReadings(String telemetryUrl, String bearerToken) {
        this.telemetryUrl = telemetryUrl;
        this.bearerToken = bearerToken;
    }

    public List<Reading> of(String deviceId, Instant from, Instant to, int max) throws IOException, InterruptedException {
        List<Reading> readings = new ArrayList<>();
        Instant cursor = from;
        while (readings.size() < max) {
            String url = telemetryUrl + "/api/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                    + "/readings?from=" + cursor + "&to=" + to + "&limit=" + PAGE;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + bearerToken)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("telemetry answered " + response.statusCode() + " for " + deviceId + ": "
                        + response.body());
            }
            List<Reading> page = new ArrayList<>();
            for (JsonElement element : JsonParser.parseString(response.body()).getAsJsonArray()) {
                page.add(toReading(deviceId, element.getAsJsonObject()));
            }
            readings.addAll(page);
            if (page.size() < PAGE) {
                break;
            }
            cursor = Timestamps.toInstant(page.get(page.size() - 1).getObservedAt()).plusNanos(1000);
        }
        return readings;
    }

    private static Reading toReading(String deviceId, JsonObject json) {
        Reading.Builder reading = Reading.newBuilder().setDeviceId(deviceId)
                .setEventId(json.get("eventId").getAsString())
                .setObservedAt(Timestamps.of(Instant.parse(json.get("observedAt").getAsString())));
        if (json.has("gatewayId") && !json.get("gatewayId").isJsonNull()) {
            reading.setGatewayId(json.get("gatewayId").getAsString());
        }
        if (json.has("sensorType") && !json.get("sensorType").isJsonNull()) {
            reading.setSensorType(json.get("sensorType").getAsString());
        }
        if (json.has("values") && json.get("values").isJsonObject()) {
            for (Map.Entry<String, JsonElement> value : json.getAsJsonObject("values").entrySet()) {
                if (value.getValue().isJsonPrimitive() && value.getValue().getAsJsonPrimitive().isNumber()) {
                    reading.putValues(value.getKey(), value.getValue().getAsDouble());
                }
            }
        }
        return reading.build();
    }
}
