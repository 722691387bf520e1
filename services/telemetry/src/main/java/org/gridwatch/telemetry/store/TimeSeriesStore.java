package org.gridwatch.telemetry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.TaskEvent;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The time-series tables: idempotent batch writes of every record type, and the reading query. */
@ApplicationScoped
public class TimeSeriesStore {

    /** A stored reading, as the API returns it. */
    public record StoredReading(String eventId, Instant observedAt, Instant receivedAt, String gatewayId,
                                String sensorType, Map<String, Object> values, Map<String, Object> attributes) {
    }

    private static final String ON_CONFLICT = " ON CONFLICT DO NOTHING";

    final BatchWriter<Reading> readings = new BatchWriter<>("readings", """
            INSERT INTO telemetry.reading (observed_at, device_id, event_id, gateway_id, sensor_type, received_at,
                "values", attributes) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""" + ON_CONFLICT, (s, r) -> {
        s.setTimestamp(1, time(r.getObservedAt()));
        s.setString(2, r.getDeviceId());
        s.setString(3, r.getEventId());
        s.setString(4, r.getGatewayId());
        s.setString(5, r.getSensorType());
        s.setTimestamp(6, r.hasReceivedAt() ? time(r.getReceivedAt()) : null);
        s.setString(7, numbers(r.getValuesMap()));
        s.setString(8, r.getAttributesCount() == 0 ? null : strings(r.getAttributesMap()));
    });

    final BatchWriter<Detection> detections = new BatchWriter<>("detections", """
            INSERT INTO telemetry.detection (detected_at, detection_id, phase, kind, severity, subject_id, device_id,
                area_id, rule_id, summary, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""" + ON_CONFLICT,
            (s, d) -> {
                s.setTimestamp(1, time(d.getDetectedAt()));
                s.setString(2, d.getDetectionId());
                s.setString(3, d.getPhase().name());
                s.setString(4, d.getKind());
                s.setString(5, d.getSeverity().name());
                s.setString(6, d.getSubjectId());
                s.setString(7, d.getDeviceId());
                s.setString(8, d.getAreaId());
                s.setString(9, d.getEvidence().getRuleId());
                s.setString(10, d.getSummary());
                s.setString(11, ProtoJson.toJson(d));
            });

    final BatchWriter<AlertEvent> alertEvents = new BatchWriter<>("alert events", """
            INSERT INTO telemetry.alert_event (occurred_at, event_id, alert_id, type, kind, severity, state, subject_id,
                grid_id, actor, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""" + ON_CONFLICT, (s, e) -> {
        s.setTimestamp(1, time(e.getOccurredAt()));
        s.setString(2, e.getEventId());
        s.setString(3, e.getAlertId());
        s.setString(4, e.getType().name());
        s.setString(5, e.getKind());
        s.setString(6, e.getSeverity().name());
        s.setString(7, e.getState().name());
        s.setString(8, e.getSubjectId());
        s.setString(9, e.getLocation().getGridId());
        s.setString(10, e.getActor());
        s.setString(11, ProtoJson.toJson(e));
    });

    final BatchWriter<TaskEvent> taskEvents = new BatchWriter<>("task events", """
            INSERT INTO telemetry.task_event (occurred_at, event_id, task_id, alert_id, type, state, worker_id, grid_id,
                actor, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""" + ON_CONFLICT, (s, e) -> {
        s.setTimestamp(1, time(e.getOccurredAt()));
        s.setString(2, e.getEventId());
        s.setString(3, e.getTaskId());
        s.setString(4, e.getAlertId());
        s.setString(5, e.getType().name());
        s.setString(6, e.getState().name());
        s.setString(7, e.getWorkerId());
        s.setString(8, e.getLocation().getGridId());
        s.setString(9, e.getActor());
        s.setString(10, ProtoJson.toJson(e));
    });

    @Inject
    DataSource dataSource;

    public List<BatchWriter.Failed<Reading>> writeReadings(List<Reading> rows) {
        return readings.write(dataSource, rows);
    }

    public List<BatchWriter.Failed<Detection>> writeDetections(List<Detection> rows) {
        return detections.write(dataSource, rows);
    }

    public List<BatchWriter.Failed<AlertEvent>> writeAlertEvents(List<AlertEvent> rows) {
        return alertEvents.write(dataSource, rows);
    }

    public List<BatchWriter.Failed<TaskEvent>> writeTaskEvents(List<TaskEvent> rows) {
        return taskEvents.write(dataSource, rows);
    }

    public List<StoredReading> readings(String deviceId, Instant from, Instant to, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT event_id, observed_at, received_at, gateway_id, sensor_type, "values", attributes
                     FROM telemetry.reading WHERE device_id = ? AND observed_at >= ? AND observed_at < ?
                     ORDER BY observed_at LIMIT ?""")) {
            query.setString(1, deviceId);
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            query.setInt(4, limit);
            List<StoredReading> result = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Timestamp received = rows.getTimestamp(3);
                    result.add(new StoredReading(rows.getString(1), rows.getTimestamp(2).toInstant(),
                            received == null ? null : received.toInstant(), rows.getString(4), rows.getString(5),
                            jsonMap(rows.getString(6)), jsonMap(rows.getString(7))));
                }
            }
            return result;
        }
    }

    private static Timestamp time(com.google.protobuf.Timestamp timestamp) {
        return Timestamp.from(Timestamps.toInstant(timestamp));
    }

    private static String numbers(Map<String, Double> values) {
        JsonObject json = new JsonObject();
        values.forEach((name, value) -> {
            // jsonb has no NaN or infinity; such a value is kept as text rather than failing the row.
            if (value.isNaN() || value.isInfinite()) {
                json.addProperty(name, value.toString());
            } else {
                json.addProperty(name, value);
            }
        });
        return json.toString();
    }

    private static String strings(Map<String, String> values) {
        JsonObject json = new JsonObject();
        values.forEach(json::addProperty);
        return json.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonMap(String json) {
        if (json == null) {
            return Map.of();
        }
        return new com.google.gson.Gson().fromJson(JsonParser.parseString(json), Map.class);
    }
}
