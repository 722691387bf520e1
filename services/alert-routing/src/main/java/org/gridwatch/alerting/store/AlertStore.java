package org.gridwatch.alerting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.outbox.Outbox;

/**
 * Applies detections to alerts in one transaction each, and writes the resulting alert event to
 * the outbox in the same transaction.
 */
@ApplicationScoped
public class AlertStore {

    public static final String SCHEMA = "alerting";
    static final String ACTOR = "system:alert-routing";
    private static final String COLUMNS = "alert_id, subject_id, kind, state, severity, device_id, district_id, "
            + "street_id, community_id, grid_id, building_id, unit_id, summary, repeat_count, first_seen, last_seen, "
            + "opened_at, resolved_at, resolved_by, last_detection_id";

    private final Outbox outbox = new Outbox(SCHEMA);

    @Inject
    DataSource dataSource;

    public Outbox outbox() {
        return outbox;
    }

    /** Returns the event the detection caused, or empty when it changed nothing (a redelivery, or a clear with no alert). */
    @Transactional
    public Optional<AlertEvent> apply(Detection detection, Location location) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!firstTimeSeen(connection, detection.getDetectionId())) {
                return Optional.empty();
            }
            Optional<AlertEvent> event = detection.getPhase() == Detection.Phase.CLEARED
                    ? resolve(connection, detection)
                    : raise(connection, detection, location);
            if (event.isPresent()) {
                outbox.add(connection, Topics.ALERT_EVENTS, event.get().getAlertId(), event.get().toByteArray());
            }
            return event;
        }
    }

    private static boolean firstTimeSeen(Connection connection, String detectionId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO alerting.processed_detection (detection_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, detectionId);
            return insert.executeUpdate() == 1;
        }
    }

    private Optional<AlertEvent> raise(Connection connection, Detection detection, Location location)
            throws SQLException {
        Instant seen = detection.hasConditionSince() ? Timestamps.toInstant(detection.getConditionSince())
                : Timestamps.toInstant(detection.getDetectedAt());
        Instant detectedAt = Timestamps.toInstant(detection.getDetectedAt());
        String sql = """
                WITH prior AS (
                    SELECT severity FROM alerting.alert WHERE subject_id = ? AND kind = ? AND state <> 'RESOLVED')
                INSERT INTO alerting.alert (alert_id, subject_id, kind, state, severity, device_id, district_id,
                    street_id, community_id, grid_id, building_id, unit_id, summary, repeat_count, first_seen,
                    last_seen, opened_at, last_detection_id, evidence)
                VALUES (?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (subject_id, kind) WHERE state <> 'RESOLVED' DO UPDATE SET
                    repeat_count = alert.repeat_count + 1,
                    last_seen = GREATEST(alert.last_seen, EXCLUDED.last_seen),
                    severity = GREATEST(alert.severity, EXCLUDED.severity),
                    summary = EXCLUDED.summary,
                    last_detection_id = EXCLUDED.last_detection_id,
                    evidence = EXCLUDED.evidence
                RETURNING %s, (xmax = 0) AS inserted, (SELECT severity FROM prior) AS prior_severity
                """.formatted(COLUMNS);
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            int i = 0;
            upsert.setString(++i, detection.getSubjectId());
            upsert.setString(++i, detection.getKind());
            upsert.setObject(++i, UUID.randomUUID());
            upsert.setString(++i, detection.getSubjectId());
            upsert.setString(++i, detection.getKind());
            upsert.setShort(++i, (short) Math.max(detection.getSeverityValue(), Severity.INFO_VALUE));
            upsert.setString(++i, detection.getDeviceId());
            upsert.setString(++i, emptyToNull(location.getDistrictId()));
            upsert.setString(++i, emptyToNull(location.getStreetId()));
            upsert.setString(++i, emptyToNull(location.getCommunityId()));
            upsert.setString(++i, emptyToNull(location.getGridId()));
            upsert.setString(++i, emptyToNull(location.getBuildingId()));
            upsert.setString(++i, emptyToNull(location.getUnitId()));
            upsert.setString(++i, detection.getSummary());
            upsert.setTimestamp(++i, Timestamp.from(seen));
            upsert.setTimestamp(++i, Timestamp.from(detectedAt));
            upsert.setTimestamp(++i, Timestamp.from(detectedAt));
            upsert.setString(++i, detection.getDetectionId());
            upsert.setString(++i, ProtoJson.toJson(detection.getEvidence()));
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                Alert alert = toAlert(row);
                AlertEvent.Type type;
                if (row.getBoolean("inserted")) {
                    type = AlertEvent.Type.TYPE_OPENED;
                } else {
                    short prior = row.getShort("prior_severity");
                    type = !row.wasNull() && prior < severityNumber(alert.severity())
                            ? AlertEvent.Type.TYPE_SEVERITY_CHANGED : AlertEvent.Type.TYPE_REPEATED;
                }
                return Optional.of(event(type, alert, detection, location, detectedAt));
            }
        }
    }

    private Optional<AlertEvent> resolve(Connection connection, Detection detection) throws SQLException {
        Instant at = Timestamps.toInstant(detection.getDetectedAt());
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE alerting.alert SET state = 'RESOLVED', resolved_at = ?, resolved_by = ?, last_detection_id = ?
                WHERE subject_id = ? AND kind = ? AND state <> 'RESOLVED'
                RETURNING %s""".formatted(COLUMNS))) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setString(2, "system:auto-clear");
            update.setString(3, detection.getDetectionId());
            update.setString(4, detection.getSubjectId());
            update.setString(5, detection.getKind());
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Alert alert = toAlert(row);
                return Optional.of(event(AlertEvent.Type.TYPE_RESOLVED, alert, detection, locationOf(alert), at));
            }
        }
    }

    public List<Alert> list(String state, String kind, String gridId, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerting.alert WHERE true");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        if (kind != null) {
            sql.append(" AND kind = ?");
            args.add(kind);
        }
        if (gridId != null) {
            sql.append(" AND grid_id = ?");
            args.add(gridId);
        }
        sql.append(" ORDER BY opened_at DESC LIMIT ?");
        args.add(limit);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                query.setObject(i + 1, args.get(i));
            }
            List<Alert> alerts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    alerts.add(toAlert(rows));
                }
            }
            return alerts;
        }
    }

    public Optional<Alert> get(UUID alertId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM alerting.alert WHERE alert_id = ?")) {
            query.setObject(1, alertId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(toAlert(row)) : Optional.empty();
            }
        }
    }

    private static Alert toAlert(ResultSet row) throws SQLException {
        return new Alert(row.getObject("alert_id", UUID.class), row.getString("subject_id"), row.getString("kind"),
                row.getString("state"), Severity.forNumber(row.getShort("severity")).name(), row.getString("device_id"),
                new Alert.Place(row.getString("district_id"), row.getString("street_id"), row.getString("community_id"),
                        row.getString("grid_id"), row.getString("building_id"), row.getString("unit_id")),
                row.getString("summary"), row.getInt("repeat_count"), instant(row, "first_seen"),
                instant(row, "last_seen"), instant(row, "opened_at"), instant(row, "resolved_at"),
                row.getString("resolved_by"), row.getString("last_detection_id"));
    }

    private static AlertEvent event(AlertEvent.Type type, Alert alert, Detection detection, Location location,
                                    Instant at) {
        return AlertEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(type)
                .setAlertId(alert.alertId().toString()).setKind(alert.kind())
                .setSeverity(Severity.valueOf(alert.severity()))
                .setState(AlertEvent.State.valueOf("STATE_" + alert.state()))
                .setSubjectId(alert.subjectId()).setDeviceId(nullToEmpty(alert.deviceId())).setLocation(location)
                .setRepeatCount(alert.repeatCount()).setFirstSeen(Timestamps.of(alert.firstSeen()))
                .setLastSeen(Timestamps.of(alert.lastSeen())).setOccurredAt(Timestamps.of(at)).setActor(ACTOR)
                .setDetectionId(detection.getDetectionId()).setSummary(nullToEmpty(alert.summary())).build();
    }

    private static Location locationOf(Alert alert) {
        Alert.Place p = alert.place();
        return Location.newBuilder().setDistrictId(nullToEmpty(p.districtId())).setStreetId(nullToEmpty(p.streetId()))
                .setCommunityId(nullToEmpty(p.communityId())).setGridId(nullToEmpty(p.gridId()))
                .setBuildingId(nullToEmpty(p.buildingId())).setUnitId(nullToEmpty(p.unitId())).build();
    }

    private static int severityNumber(String name) {
        return Severity.valueOf(name).getNumber();
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
