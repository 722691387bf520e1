package org.gridwatch.alerting.store;

import static org.gridwatch.plumbing.sql.Rows.instant;
import static org.gridwatch.plumbing.sql.Rows.nullToEmpty;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.gridwatch.alerting.domain.Alert;
import org.gridwatch.alerting.domain.AlertState;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** How an alert row is read, and how an alert becomes an alert event: shared by everything that changes alerts. */
final class AlertRows {

    /**
     * The active alert that hides this one (table {@code alert}) under an inhibition rule, if any;
     * worked out when the alert is read, so it follows the source opening and resolving.
     */
    private static final String INHIBITED_BY = """
            (SELECT src.alert_id FROM alerting.inhibition i
                 JOIN LATERAL (SELECT src.alert_id, src.opened_at FROM alerting.alert src
                               WHERE src.state <> 'RESOLVED' AND src.kind = i.source_kind
                                 AND src.severity >= i.source_min_severity AND src.alert_id <> alert.alert_id
                                 AND ((i.equal = 'building' AND src.building_id = alert.building_id)
                                   OR (i.equal = 'gateway' AND src.subject_id = alert.gateway_id))) src ON true
             WHERE alert.state <> 'RESOLVED' AND alert.kind = ANY (i.target_kinds)
               AND NOT (alert.kind = i.source_kind AND alert.severity >= i.source_min_severity)
             ORDER BY src.opened_at LIMIT 1) AS inhibited_by""";

    /**
     * The columns of an alert as {@link #toAlert} reads them, from table {@code alert}, with
     * whether a silence covers it at {@code at}: the SQL of the decision's time, a parameter
     * ({@code ?::timestamptz} or {@code :now::timestamptz}, named once), never the database's own clock.
     */
    static String columns(String at) {
        return "alert_id, subject_id, kind, state, severity, device_id, district_id, "
                + "street_id, community_id, grid_id, building_id, unit_id, summary, repeat_count, first_seen, last_seen, "
                + "opened_at, resolved_at, resolved_by, last_detection_id, acknowledged_at, acknowledged_by, assignee, "
                + "resolution_note, (SELECT s.silence_id FROM (SELECT " + at + " AS at) decision, alerting.silence s WHERE "
                + SilenceStore.covers("s", "alert", "decision.at") + " ORDER BY s.ends_at DESC LIMIT 1) AS silenced_by, "
                + "gateway_id, " + INHIBITED_BY + ", policy_id, level, "
                + "dispatch, channels, notified_level, escalations, next_escalation_at, group_id, summarized_by, task_id";
    }

    /** {@link #columns} with the time as a JDBC parameter (one {@code ?}). */
    static final String COLUMNS_AT = columns("?::timestamptz");

    /** {@link #columns} with the time as the Jdbi parameter {@code :now}. */
    static final String COLUMNS = columns(":now::timestamptz");

    private AlertRows() {
    }

    /** The alert as it is at {@code now}, locked to the end of the transaction when {@code lock}. */
    static Optional<Alert> find(Handle handle, UUID alertId, boolean lock, Instant now) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM alerting.alert WHERE alert_id = :id"
                        + (lock ? " FOR UPDATE" : ""))
                .bind("id", alertId).bind("now", now).map(ALERT).findOne();
    }

    /** A row of {@link #columns} as an alert, for Jdbi. */
    static final RowMapper<Alert> ALERT = (row, context) -> toAlert(row);

    static Alert toAlert(ResultSet row) throws SQLException {
        return new Alert(row.getObject("alert_id", UUID.class), row.getString("subject_id"), row.getString("kind"),
                AlertState.valueOf(row.getString("state")), Severity.forNumber(row.getShort("severity")).name(), row.getString("device_id"),
                new Alert.Place(row.getString("district_id"), row.getString("street_id"), row.getString("community_id"),
                        row.getString("grid_id"), row.getString("building_id"), row.getString("unit_id")),
                row.getString("summary"), row.getInt("repeat_count"), instant(row, "first_seen"),
                instant(row, "last_seen"), instant(row, "opened_at"), instant(row, "resolved_at"),
                row.getString("resolved_by"), row.getString("last_detection_id"), instant(row, "acknowledged_at"),
                row.getString("acknowledged_by"), row.getString("assignee"), row.getString("resolution_note"),
                row.getObject("silenced_by", UUID.class), row.getString("gateway_id"),
                row.getObject("inhibited_by", UUID.class),
                new Alert.Routing(row.getString("policy_id"), row.getString("level"), row.getBoolean("dispatch"),
                        List.of((String[]) row.getArray("channels").getArray()), row.getString("notified_level"), row.getInt("escalations"),
                        instant(row, "next_escalation_at")),
                row.getObject("group_id", UUID.class), row.getObject("summarized_by", UUID.class),
                row.getString("task_id"));
    }

    static AlertEvent event(AlertEvent.Type type, Alert alert, Instant at, String actor, String detectionId,
                            String note) {
        return AlertEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(type)
                .setAlertId(alert.alertId().toString()).setKind(alert.kind())
                .setSeverity(Severity.valueOf(alert.severity()))
                .setState(AlertEvent.State.valueOf("STATE_" + alert.state().name()))
                .setSubjectId(alert.subjectId()).setDeviceId(nullToEmpty(alert.deviceId()))
                .setLocation(locationOf(alert))
                .setRepeatCount(alert.repeatCount()).setFirstSeen(Timestamps.of(alert.firstSeen()))
                .setLastSeen(Timestamps.of(alert.lastSeen())).setOccurredAt(Timestamps.of(at)).setActor(actor)
                .setDetectionId(nullToEmpty(detectionId)).setSummary(nullToEmpty(alert.summary()))
                .setNote(nullToEmpty(note)).setAssignee(nullToEmpty(alert.assignee()))
                .setSilencedBy(idOrEmpty(alert.silencedBy())).setInhibitedBy(idOrEmpty(alert.inhibitedBy()))
                .setLevel(nullToEmpty(alert.routing().level())).setDispatch(alert.routing().dispatch())
                .setPolicyId(nullToEmpty(alert.routing().policyId())).setGroupId(idOrEmpty(alert.groupId()))
                .setSummarizedBy(idOrEmpty(alert.summarizedBy())).build();
    }

    static Location locationOf(Alert alert) {
        Alert.Place p = alert.place();
        return Location.newBuilder().setDistrictId(nullToEmpty(p.districtId())).setStreetId(nullToEmpty(p.streetId()))
                .setCommunityId(nullToEmpty(p.communityId())).setGridId(nullToEmpty(p.gridId()))
                .setBuildingId(nullToEmpty(p.buildingId())).setUnitId(nullToEmpty(p.unitId())).build();
    }




    private static String idOrEmpty(UUID id) {
        return id == null ? "" : id.toString();
    }
}
