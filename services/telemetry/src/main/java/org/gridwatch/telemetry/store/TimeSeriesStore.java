package org.gridwatch.telemetry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.TaskEvent;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

/**
 * The time-series tables: idempotent COPY writes of every record type ({@link CopyWriter}), and
 * the reading query. Readings are stored narrow, a row per value ({@code reading_value}), with
 * their attributes apart when they have any ({@code reading_attributes}).
 */
@ApplicationScoped
public class TimeSeriesStore {

    /** A stored reading, as the API returns it: its values regrouped from their rows. */
    public record StoredReading(String eventId, Instant observedAt, Instant receivedAt, Map<String, Double> values,
                                Map<String, Object> attributes) {
    }

    /** One value of a reading: a row of {@code reading_value}. */
    record Value(Reading reading, String metric, double value) {
    }

    private static final Gson GSON = new Gson();

    final CopyWriter<Value> values = new CopyWriter<>("reading values", "telemetry.reading_value",
            List.of("observed_at", "device_id", "metric", "value", "event_id", "received_at"),
            (v, out) -> out.time(time(v.reading().getObservedAt())).text(v.reading().getDeviceId()).text(v.metric())
                    .number(v.value()).text(v.reading().getEventId())
                    .time(v.reading().hasReceivedAt() ? time(v.reading().getReceivedAt()) : null));

    final CopyWriter<Reading> attributes = new CopyWriter<>("reading attributes", "telemetry.reading_attributes",
            List.of("observed_at", "device_id", "event_id", "attributes"),
            (r, out) -> out.time(time(r.getObservedAt())).text(r.getDeviceId()).text(r.getEventId())
                    .text(strings(r.getAttributesMap())));

    final CopyWriter<Detection> detections = new CopyWriter<>("detections", "telemetry.detection",
            List.of("detected_at", "detection_id", "phase", "kind", "severity", "subject_id", "device_id", "area_id",
                    "rule_id", "summary", "payload"),
            (d, out) -> out.time(time(d.getDetectedAt())).text(d.getDetectionId()).text(d.getPhase().name())
                    .text(d.getKind()).text(d.getSeverity().name()).text(d.getSubjectId()).text(d.getDeviceId())
                    .text(d.getAreaId()).text(d.getEvidence().getRuleId()).text(d.getSummary())
                    .text(ProtoJson.toJson(d)));

    final CopyWriter<AlertEvent> alertEvents = new CopyWriter<>("alert events", "telemetry.alert_event",
            List.of("occurred_at", "event_id", "alert_id", "type", "kind", "severity", "state", "subject_id",
                    "district_id", "street_id", "community_id", "grid_id", "actor", "payload"),
            (e, out) -> place(out.time(time(e.getOccurredAt())).text(e.getEventId()).text(e.getAlertId())
                    .text(e.getType().name()).text(e.getKind()).text(e.getSeverity().name()).text(e.getState().name())
                    .text(e.getSubjectId()), e.getLocation()).text(e.getActor()).text(ProtoJson.toJson(e)));

    final CopyWriter<TaskEvent> taskEvents = new CopyWriter<>("task events", "telemetry.task_event",
            List.of("occurred_at", "event_id", "task_id", "alert_id", "type", "state", "worker_id", "district_id",
                    "street_id", "community_id", "grid_id", "actor", "stage", "stage_seconds", "stage_on_time",
                    "payload"),
            (e, out) -> {
                place(out.time(time(e.getOccurredAt())).text(e.getEventId()).text(e.getTaskId()).text(e.getAlertId())
                        .text(e.getType().name()).text(e.getState().name()).text(e.getWorkerId()), e.getLocation())
                        .text(e.getActor());
                if (e.getStage().isEmpty()) {
                    out.text(null).text(null).bool(null);
                } else {
                    out.text(e.getStage()).number(e.getStageSeconds()).bool(e.getStageOnTime());
                }
                out.text(ProtoJson.toJson(e));
            });

    @Inject
    DataSource dataSource;

    /**
     * Stores readings as their values (and attributes, when they have any). A reading any of whose
     * values cannot be stored is returned once, with the reason.
     */
    public List<CopyWriter.Failed<Reading>> writeReadings(List<Reading> rows) {
        List<Value> rowsOfValues = new ArrayList<>();
        for (Reading reading : rows) {
            reading.getValuesMap().forEach((metric, value) -> rowsOfValues.add(new Value(reading, metric, value)));
        }
        Map<Reading, String> failed = new LinkedHashMap<>();
        values.write(dataSource, rowsOfValues).forEach(f -> failed.putIfAbsent(f.row().reading(), f.reason()));
        attributes.write(dataSource, rows.stream().filter(r -> r.getAttributesCount() > 0).toList())
                .forEach(f -> failed.putIfAbsent(f.row(), f.reason()));
        return failed.entrySet().stream().map(f -> new CopyWriter.Failed<>(f.getKey(), f.getValue())).toList();
    }

    public List<CopyWriter.Failed<Detection>> writeDetections(List<Detection> rows) {
        return detections.write(dataSource, rows);
    }

    public List<CopyWriter.Failed<AlertEvent>> writeAlertEvents(List<AlertEvent> rows) {
        return alertEvents.write(dataSource, rows);
    }

    public List<CopyWriter.Failed<TaskEvent>> writeTaskEvents(List<TaskEvent> rows) {
        return taskEvents.write(dataSource, rows);
    }

    /** Readings of a device in [from, to), oldest first, at most {@code limit}. */
    public List<StoredReading> readings(String deviceId, Instant from, Instant to, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     WITH readings AS (
                         SELECT event_id, observed_at, min(received_at) AS received_at,
                                jsonb_object_agg(metric, value) AS "values"
                         FROM telemetry.reading_value
                         WHERE device_id = ? AND observed_at >= ? AND observed_at < ?
                         GROUP BY observed_at, event_id ORDER BY observed_at LIMIT ?)
                     SELECT r.event_id, r.observed_at, r.received_at, r."values", a.attributes
                     FROM readings r LEFT JOIN telemetry.reading_attributes a
                       ON a.device_id = ? AND a.observed_at = r.observed_at AND a.event_id = r.event_id
                     ORDER BY r.observed_at""")) {
            query.setString(1, deviceId);
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            query.setInt(4, limit);
            query.setString(5, deviceId);
            List<StoredReading> result = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Timestamp received = rows.getTimestamp(3);
                    result.add(new StoredReading(rows.getString(1), rows.getTimestamp(2).toInstant(),
                            received == null ? null : received.toInstant(), numbers(rows.getString(4)),
                            jsonMap(rows.getString(5))));
                }
            }
            return result;
        }
    }

    private static CopyWriter.CsvRow place(CopyWriter.CsvRow out, Location location) {
        return out.text(location.getDistrictId()).text(location.getStreetId()).text(location.getCommunityId())
                .text(location.getGridId());
    }

    private static Instant time(com.google.protobuf.Timestamp timestamp) {
        return Timestamps.toInstant(timestamp);
    }

    private static String strings(Map<String, String> values) {
        JsonObject json = new JsonObject();
        values.forEach(json::addProperty);
        return json.toString();
    }

    /** jsonb holds NaN and infinities as strings (JSON has no such numbers); they come back as doubles. */
    private static Map<String, Double> numbers(String json) {
        Map<String, Double> values = new LinkedHashMap<>();
        jsonMap(json).forEach((metric, value) -> values.put(metric, value instanceof Number number
                ? number.doubleValue() : Double.valueOf(String.valueOf(value))));
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonMap(String json) {
        if (json == null) {
            return Map.of();
        }
        return GSON.fromJson(json, Map.class);
    }
}
